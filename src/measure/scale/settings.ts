import type {RunLimits} from '../../core/scale-step.js'

/** What `scale` measures and for how long; `--quick` picks the short set. */
export interface ScaleSettings {
  quick: boolean
  /** N: how many plugins are loaded at once, one step each. */
  instanceCounts: number[]
  /** C: how many calls are kept in flight on one plugin. */
  concurrency: number[]
  /** Each C's timed run, and the warm-up run before it. */
  calls: RunLimits
  warmup: RunLimits
  /** How long N plugins starting at once may take before the step fails with START_TIMEOUT. */
  startTimeoutMs: number
}

/** A run stops at this many calls whatever its time, so the fastest rows' timings stay a few MB. */
export const MAX_CALLS_PER_RUN = 200_000

/** Each caller makes this many calls at least, so a run shorter than one stall (a GC, a slow wake-up) has several rounds. */
export const MIN_CALLS_PER_CALLER = 5

export function scaleSettings(quick: boolean, overrides: {instanceCounts?: number[]; concurrency?: number[]; callTimeMs?: number} = {}): ScaleSettings {
  const callTimeMs = overrides.callTimeMs ?? (quick ? 100 : 1000)
  return {
    quick,
    instanceCounts: overrides.instanceCounts ?? (quick ? [1, 10] : [1, 10, 50]),
    concurrency: overrides.concurrency ?? [1, 8, 64],
    calls: {durationMs: callTimeMs, minCallsPerCaller: MIN_CALLS_PER_CALLER, maxCalls: MAX_CALLS_PER_RUN},
    warmup: {durationMs: Math.max(20, Math.round(callTimeMs / 5)), minCallsPerCaller: 2, maxCalls: MAX_CALLS_PER_RUN / 4},
    startTimeoutMs: 120_000,
  }
}
