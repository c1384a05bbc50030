// Runs a Go harness binary (fixtures/go/internal/harness) and turns its JSON into a bench row.
import {execa} from 'execa'
import type {ScaleStep} from '../measure/scale/steps.js'
import type {BenchSettings} from '../measure/settings.js'
import type {LoadOptions, Mechanism} from '../mechanisms/types.js'
import type {BenchRow, BenchRowOk} from '../report/types.js'

type HarnessResult = Pick<BenchRowOk, 'coldStart' | 'call' | 'payload' | 'rssBytes' | 'notes'> & {error?: {code: string; message: string}}

export function harnessArgs(settings: BenchSettings): string[] {
  return [
    `-cold=${settings.coldStartSamples}`,
    `-call-ms=${settings.callTimeMs}`,
    `-payload-ms=${settings.payloadTimeMs}`,
    `-payload-sizes=${settings.payloadSizes.join(',')}`,
  ]
}

/** The harness flags of one scale step (fixtures/go/internal/harness/scale.go). */
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

/** Runs `binary` with the harness flags plus `extraArgs`, and returns its measurements as a row of `mechanism`. */
export async function runGoHarness(
  mechanism: Mechanism,
  binary: string,
  settings: BenchSettings,
  build: {buildMs: number; cached: boolean},
  extraArgs: string[] = [],
  env: Record<string, string> = {},
): Promise<BenchRow> {
  const base = {mechanism: mechanism.id, family: mechanism.family, title: mechanism.title, floor: mechanism.floor}
  const deadlineMs = (settings.quick ? 60 : 300) * 1000 + settings.coldStartSamples * 5000
  const run = await execa(binary, [...harnessArgs(settings), ...extraArgs], {env, reject: false, timeout: deadlineMs, killSignal: 'SIGKILL', stdin: 'ignore'})
  const last = String(run.stdout).trim().split('\n').pop() ?? ''
  if (run.exitCode !== 0 || !last.startsWith('{')) {
    const how = run.timedOut ? `did not finish within ${deadlineMs / 1000} s` : run.signal ? `was killed by ${run.signal}` : `exited with code ${run.exitCode}`
    const tail = String(run.stderr).trim().split('\n').slice(-4).join(' | ')
    return {...base, status: 'failed', reason: `the Go harness ${how}${tail ? `: ${tail}` : ''}`, errorCode: run.timedOut ? 'BENCH_TIMEOUT' : 'HOST_DIED'}
  }
  const result = JSON.parse(last) as HarnessResult
  if (result.error) return {...base, status: 'failed', reason: result.error.message, errorCode: result.error.code}
  return {
    ...base,
    status: 'ok',
    coldStart: result.coldStart,
    call: result.call,
    payload: result.payload,
    rssBytes: result.rssBytes,
    coldStartFloor: mechanism.coldStartFloor,
    buildMs: build.buildMs,
    buildCached: build.cached,
    notes: result.notes,
  }
}
