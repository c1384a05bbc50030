// What `scale` asks a host to run (measure/scale/steps.ts runs it in Node; the Go harness's scale.go in Go).

/** Bounds of one run of concurrent calls. */
export interface RunLimits {
  durationMs: number
  /** Each caller makes at least this many calls, however long they take: one stall is never the whole run. */
  minCallsPerCaller: number
  /** The run stops once this many calls have started, whatever the time (bounds the timings kept). */
  maxCalls: number
}

/** A step as the CLI asks for it. */
export type ScaleStep = {step: 'instances'; n: number} | {step: 'calls'; concurrency: number[]; limits: RunLimits; warmup: RunLimits}
