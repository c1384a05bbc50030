// How a process ended, once: the fields every runner reports, the words for them, and the error code of a
// plugin process that ended.

/** How a process ended: its exit code or the signal that killed it, or why it never started or was stopped. */
export interface ChildExit {
  exitCode?: number
  signal?: string
  /** Why it could not be started at all (a missing binary, say); it then has no exit code. */
  spawnError?: string
  /** Killed at a deadline of this many ms. */
  timedOutAfterMs?: number
}

/** How a finished run of a process (execa's result) ended; a run killed at `deadlineMs` timed out. */
export function exitOfRun(run: {exitCode?: number; signal?: string; timedOut?: boolean}, deadlineMs?: number): ChildExit {
  if (run.timedOut && deadlineMs !== undefined) return {timedOutAfterMs: deadlineMs}
  return {exitCode: run.exitCode, signal: run.signal}
}

/** "exited with code 3", "was killed by SIGSEGV", "did not finish within 60 s and was killed", ... */
export function describeExit(exit: ChildExit): string {
  if (exit.spawnError !== undefined) return `could not be started (${exit.spawnError})`
  if (exit.timedOutAfterMs !== undefined) return `did not finish within ${Math.round(exit.timedOutAfterMs / 1000)} s and was killed`
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.exitCode}`
}

/** The error code of a plugin process that ended: PLUGIN_OOM (heap exhausted), PLUGIN_CRASHED (a signal), else PLUGIN_EXITED. */
export function exitErrorCode(exit: ChildExit, stderrTail: string): 'PLUGIN_OOM' | 'PLUGIN_CRASHED' | 'PLUGIN_EXITED' {
  if (/heap out of memory|Allocation failed/i.test(stderrTail)) return 'PLUGIN_OOM'
  return exit.signal ? 'PLUGIN_CRASHED' : 'PLUGIN_EXITED'
}
