import {hostDeadlineMs} from '../../core/deadline.js'

/** The limits crash-test probes run with; short, so a full matrix takes seconds per cell on a small machine. */
export interface CrashSettings {
  /** Per-call timeout of the careful host: how long `hang` and `never` take to be noticed. */
  callTimeoutMs: number
  /** Start timeout of the careful host: `slow-start` overruns it once. */
  startTimeoutMs: number
  /** Heap cap of the plugin's thread or process (and of an in-process host), so `oom` ends fast. */
  heapLimitMb: number
  /** After a call that answered, how long the host watches for the plugin dying anyway (`reject`). */
  settleMs: number
  /** After the fault, how long a host gets beyond its own timeout to notice it, before it is declared hung and killed. */
  hangGraceMs: number
  /** After the host is killed (orphan probe) or ends, how long its plugin processes get to exit before they count as orphans. */
  orphanGraceMs: number
  /** Hot reload: calls stream this long before the swap and after it, from this many concurrent callers. */
  reloadBeforeMs: number
  reloadAfterMs: number
  reloadStreams: number
}

export const DEFAULT_CRASH_SETTINGS: CrashSettings = {
  callTimeoutMs: 1000,
  startTimeoutMs: 2000,
  heapLimitMb: 64,
  settleMs: 300,
  hangGraceMs: 1000,
  orphanGraceMs: 1500,
  reloadBeforeMs: 300,
  reloadAfterMs: 300,
  reloadStreams: 4,
}

/** Everything a throwaway crash host is told, as its one argument (JSON). */
export type CrashJob =
  | {mode: 'probe'; mechanism: string; fault: string; settings: CrashSettings}
  | {mode: 'reload'; mechanism: string; settings: CrashSettings}
  | {mode: 'orphans'; mechanism: string; settings: CrashSettings}

/** Longest a probe's host may live before it is killed, whatever it is doing. */
export function probeDeadlineMs(settings: CrashSettings): number {
  return hostDeadlineMs(settings, {starts: 3, calls: 3})
}
