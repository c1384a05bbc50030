// Measures one row: cold start, resident memory, per-call latency, payload scaling. Every answer is checked.
import {performance} from 'node:perf_hooks'
import {Bench} from 'tinybench'
import {checkAnswer, PluginError, type PluginInput} from '../sample/contract.js'
import {isBuildable, isLoadable, isStartOnly, type Loadable, type Row, type StartOnly} from '../mechanisms/row.js'
import type {BenchRow, CallStats, ColdStart, PayloadPoint} from '../report/types.js'
import type {LoadedPlugin, LoadOptions} from '../transport/types.js'
import {processRss, settledRss} from './memory.js'
import {benchBase, type BenchSettings} from './settings.js'
import {summarize} from './stats.js'

export type Progress = (message: string) => void

// Inputs made up front so the timed loop allocates nothing; the rotating number keeps answers honest.
const INPUTS: PluginInput[] = Array.from({length: 1024}, (_, i) => ({number: 7 + i}))
const BATCH_TARGET_NS = 50_000
const WARMUP_CALLS = 2000

async function firstAnswer(row: Loadable, options: LoadOptions): Promise<LoadedPlugin> {
  const plugin = await row.load({...options, fresh: true})
  checkAnswer(INPUTS[0], await plugin.call(INPUTS[0]))
  return plugin
}

// From nothing to the first correct answer (a start-only row: to its end), each sample from a fresh start.
async function coldStart(row: Loadable | StartOnly, settings: BenchSettings, options: LoadOptions, progress: Progress): Promise<ColdStart> {
  const samples: number[] = []
  for (let i = 0; i < settings.coldStartSamples; i++) {
    progress(`cold start ${i + 1}/${settings.coldStartSamples}`)
    const started = performance.now()
    const plugin = 'startOnce' in row ? await row.startOnce() : await firstAnswer(row, options)
    samples.push(performance.now() - started)
    await plugin?.dispose()
  }
  const s = summarize(samples)
  return {p50Ms: round(s.p50, 3), p99Ms: round(s.p99, 3), meanMs: round(s.mean, 3), samples: s.count}
}

// How many calls one timed sample holds, so that a sample lasts ~50 µs and the timer's cost vanishes in it.
function batchSize(callSync: NonNullable<LoadedPlugin['callSync']>): number {
  // Enough calls first for the JIT to optimise them, so the batch is sized for the steady state.
  for (let i = 0; i < 20_000; i++) checkAnswer(INPUTS[i & 1023], callSync(INPUTS[i & 1023]))
  const started = performance.now()
  for (let i = 0; i < 10_000; i++) callSync(INPUTS[i & 1023])
  const perCallNs = ((performance.now() - started) * 1e6) / 10_000
  return Math.max(1, Math.min(100_000, Math.round(BATCH_TARGET_NS / Math.max(perCallNs, 1))))
}

async function timeCalls(plugin: LoadedPlugin, timeMs: number, warmupMs: number, payload?: string): Promise<CallStats> {
  // Enough warm-up calls for both sides' JIT to reach steady state (cold start is measured on its own);
  // payload runs follow the main run on the same plugin, already warm, and large payloads are slow.
  const bench = new Bench({time: timeMs, warmupTime: warmupMs, warmupIterations: payload === undefined ? WARMUP_CALLS : 16, iterations: 16})
  let batch = 1
  let i = 0
  if (plugin.callSync && payload === undefined) {
    const callSync = plugin.callSync
    batch = batchSize(callSync)
    bench.add('call', () => {
      const started = bench.now()
      let output
      for (let b = 0; b < batch; b++) output = callSync(INPUTS[i++ & 1023])
      const elapsed = bench.now() - started
      checkAnswer(INPUTS[(i - 1) & 1023], output!)
      return {overriddenDuration: elapsed / batch, overriddenIterationCost: elapsed}
    })
  } else {
    bench.add(
      'call',
      async () => {
        const input = payload === undefined ? INPUTS[i++ & 1023] : {number: INPUTS[i++ & 1023].number, payload}
        checkAnswer(input, await plugin.call(input))
      },
      {async: true},
    )
  }
  await bench.run()
  const result = bench.tasks[0].result
  if (result.state === 'errored') throw result.error
  if (result.state !== 'completed') throw new PluginError('BENCH_INCOMPLETE', `the timed run ended as ${result.state}`)
  const latency = result.latency
  const meanNs = latency.mean * 1e6
  return {
    p50Ns: round(latency.p50 * 1e6, 1),
    p99Ns: round(latency.p99 * 1e6, 1),
    meanNs: round(meanNs, 1),
    opsPerSec: Math.round(1e9 / meanNs),
    rmePct: round(latency.rme, 2),
    samples: latency.samplesCount,
    batch,
  }
}

/** Measures one row in this process. Errors become a `failed` row; nothing here throws. */
export async function measureRow(mechanism: Row, settings: BenchSettings, options: LoadOptions, progress: Progress = () => {}): Promise<BenchRow> {
  const base = benchBase(mechanism)
  const support = await mechanism.detect()
  if (!support.supported) return {...base, status: 'skipped', reason: support.reason}
  let loaded: LoadedPlugin | undefined
  try {
    if (isStartOnly(mechanism)) return {...base, status: 'ok', coldStart: await coldStart(mechanism, settings, options, progress)}
    if (!isLoadable(mechanism)) throw new PluginError('NOT_MEASURABLE', `${mechanism.id} has nothing this process can load or start`)
    const build = isBuildable(mechanism) ? await mechanism.build(options) : undefined
    const cold = await coldStart(mechanism, settings, options, progress)

    progress('memory')
    const before = settledRss()
    loaded = await mechanism.load(options)
    checkAnswer(INPUTS[0], await loaded.call(INPUTS[0]))
    const rssBytes = Math.max(0, settledRss() - before) + (loaded.pid ? processRss(loaded.pid) : 0)

    progress('per-call latency')
    const call = await timeCalls(loaded, settings.callTimeMs, settings.warmupTimeMs)

    const notes: string[] = []
    let payload: PayloadPoint[] | undefined
    if (mechanism.family !== 'floor') {
      payload = []
      for (const bytes of settings.payloadSizes) {
        progress(`payload ${formatBytes(bytes)}`)
        try {
          const stats = await timeCalls(loaded, settings.payloadTimeMs, Math.min(settings.warmupTimeMs, 50), 'x'.repeat(bytes))
          payload.push({bytes, p50Ns: stats.p50Ns})
        } catch (error) {
          if ((error as PluginError).code === 'WRONG_ANSWER') throw error
          notes.push(`payload ${formatBytes(bytes)}: ${(error as Error).message}`)
          break
        }
      }
    }
    if (call.batch > 1) notes.push(`calls timed in batches of ${call.batch}: p99 is that of batch means`)
    return {
      ...base,
      status: 'ok',
      coldStart: cold,
      call,
      payload,
      rssBytes,
      coldStartFloor: mechanism.floors?.coldStart,
      buildMs: build ? round(build.buildMs, 1) : undefined,
      buildCached: build?.cached,
      notes: notes.length > 0 ? notes : undefined,
    }
  } catch (error) {
    const e = error as {code?: string; message?: string}
    return {...base, status: 'failed', reason: String(e.message ?? error), errorCode: e.code}
  } finally {
    await loaded?.dispose().catch(() => {})
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${round(bytes / (1024 * 1024), 1)} MiB`
  if (bytes >= 1024) return `${round(bytes / 1024, 1)} KiB`
  return `${bytes} B`
}

function round(value: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}
