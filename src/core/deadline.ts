/** What a throwaway host is given, beyond its waits, to start and end as a process. */
const HOST_MARGIN_MS = 10_000

/**
 * How long a throwaway host may run before it is taken for hung: every start and every call it may have to wait
 * out to its timeout, its settle time, and a margin for the process itself.
 */
export function hostDeadlineMs(timeouts: {startTimeoutMs?: number; callTimeoutMs: number; settleMs?: number}, waits: {starts: number; calls: number}): number {
  return waits.starts * (timeouts.startTimeoutMs ?? 0) + waits.calls * timeouts.callTimeoutMs + (timeouts.settleMs ?? 0) + HOST_MARGIN_MS
}
