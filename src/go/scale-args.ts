// The flags of one scale step for a Go host (fixtures/go/internal/harness/scale.go).
import type {ScaleStep} from '../core/scale-step.js'
import type {LoadOptions} from '../transport/types.js'

export function goScaleArgs(step: ScaleStep, options: LoadOptions): string[] {
  const startTimeout = options.startTimeoutMs === undefined ? [] : [`-start-timeout-ms=${options.startTimeoutMs}`]
  if (step.step === 'instances') return [`-scale-instances=${step.n}`, ...startTimeout]
  return [
    `-scale-calls=${step.concurrency.join(',')}`,
    `-scale-call-time=${step.limits.durationMs}ms`,
    `-scale-min-calls-per-caller=${step.limits.minCallsPerCaller}`,
    `-scale-max-calls=${step.limits.maxCalls}`,
    `-scale-warmup-time=${step.warmup.durationMs}ms`,
    `-scale-warmup-min-calls-per-caller=${step.warmup.minCallsPerCaller}`,
    `-scale-warmup-max-calls=${step.warmup.maxCalls}`,
    ...startTimeout,
  ]
}
