// Calls in flight: C callers on one loaded plugin, each starting its next call when its last one answered
// (a closed loop), every answer checked against its own input. The timings go to summarizeCalls, the one
// place where throughput and latency quantiles are computed for every row (the Go harness sends its timings).
import {performance} from 'node:perf_hooks'
import type {RunLimits} from '../../core/scale-step.js'
import type {CallsFigures} from '../../results/scale.js'
import {checkAnswer, type PluginInput, type PluginOutput} from '../../sample/contract.js'
import {quantile, round} from '../stats.js'

/** Each call's end and latency in ns, relative to any fixed origin; start = end - latency. */
export interface CallTimings {
  endNs: number[]
  latencyNs: number[]
}

/** Throughput is also computed over this many equal windows of the run, to show how steady it was. */
export const WINDOWS = 5

/** Throughput and latency of one run of `c` callers from its per-call timings. */
export function summarizeCalls(c: number, timings: CallTimings, capped: boolean): CallsFigures {
  const {endNs, latencyNs} = timings
  if (endNs.length === 0 || endNs.length !== latencyNs.length) throw new RangeError(`a run needs one latency per call end (got ${endNs.length} ends, ${latencyNs.length} latencies)`)
  let first = Infinity
  let last = -Infinity
  for (let i = 0; i < endNs.length; i++) {
    first = Math.min(first, endNs[i]! - latencyNs[i]!)
    last = Math.max(last, endNs[i]!)
  }
  const wallNs = Math.max(last - first, 1)
  const perWindow = new Array<number>(WINDOWS).fill(0)
  for (const end of endNs) perWindow[Math.min(WINDOWS - 1, Math.floor(((end - first) / wallNs) * WINDOWS))]!++
  const windowRate = perWindow.map((count) => (count * 1e9 * WINDOWS) / wallNs)
  const sorted = [...latencyNs].sort((a, b) => a - b)
  return {
    c,
    calls: endNs.length,
    wallMs: round(wallNs / 1e6, 3),
    callsPerSec: Math.round((endNs.length * 1e9) / wallNs),
    windowCallsPerSec: windowRate.map(Math.round),
    p50Ns: round(quantile(sorted, 0.5), 1),
    p99Ns: round(quantile(sorted, 0.99), 1),
    capped,
  }
}

/** Input numbers no two calls of a run share, so an answer meant for another call never passes the check. */
export function numberSource(first = 1000): () => number {
  let next = first
  return () => next++
}

/**
 * Runs `c` callers until the time or the call cap runs out (each making its minimum of calls first); resolves
 * with every call's timing once all have answered. Rejects with the first error: a wrong answer is WRONG_ANSWER (checkAnswer), whoever it was for.
 */
export async function runConcurrentCalls(
  call: (input: PluginInput) => Promise<PluginOutput>,
  c: number,
  limits: RunLimits,
  nextNumber = numberSource(),
): Promise<{timings: CallTimings; capped: boolean}> {
  const endNs: number[] = []
  const latencyNs: number[] = []
  const origin = performance.now()
  const deadline = origin + limits.durationMs
  let started = 0
  let capped = false
  let failure: unknown
  const caller = async () => {
    for (let made = 0; failure === undefined && (made < limits.minCallsPerCaller || performance.now() < deadline); made++) {
      if (started >= limits.maxCalls) {
        capped = true
        return
      }
      started++
      const input = {number: nextNumber()}
      const t0 = performance.now()
      let output: PluginOutput
      try {
        output = await call(input)
        checkAnswer(input, output)
      } catch (error) {
        failure ??= error
        return
      }
      const t1 = performance.now()
      endNs.push(Math.round((t1 - origin) * 1e6))
      latencyNs.push(Math.round((t1 - t0) * 1e6))
    }
  }
  await Promise.all(Array.from({length: c}, caller))
  if (failure !== undefined) throw failure
  return {timings: {endNs, latencyNs}, capped}
}
