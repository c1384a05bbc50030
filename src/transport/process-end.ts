// How a process ended, in the words every error message about it uses.

/** A process's end as its 'exit' event, execa's result or a ChildExit gives it. */
export interface ProcessEnd {
  exitCode?: number | null
  signal?: string | null
}

/** "was killed by SIGSEGV", or "exited with code 1". */
export function describeEnd({exitCode, signal}: ProcessEnd): string {
  return signal ? `was killed by ${signal}` : `exited with code ${exitCode}`
}
