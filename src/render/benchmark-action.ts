// github-action-benchmark's `customSmallerIsBetter` input: a JSON array of {name, unit, value, range?, extra?}.
// Names carry the machine's label so each OS keeps its own series from run to run.
import {round} from '../core/numbers.js'
import type {Interval} from '../results/figures.js'
import type {Machine} from '../report/merge.js'
import {ratioOf} from '../report/ratios.js'
import {largestOk} from '../results/scale.js'

export interface BenchmarkActionEntry {
  name: string
  unit: string
  value: number
  range?: string
  extra?: string
}


// The interval as the "± x%" github-action-benchmark shows: half its width, relative to the median.
const halfWidthPct = (median: number, interval: Interval) => (50 * (interval.high - interval.low)) / median
// Scale's figures where smaller is better: the largest N's start and memory per plugin, the largest C's p99.
function scaleEntries(machine: Machine): BenchmarkActionEntry[] {
  const entries: BenchmarkActionEntry[] = []
  for (const row of machine.report.scale ?? []) {
    if (row.status !== 'ok') continue
    const name = (what: string) => `${machine.label} ${row.mechanism} ${what}`
    const n = row.instances.status === 'measured' ? largestOk(row.instances.points, (p) => p.n) : undefined
    if (n) {
      entries.push({name: name(`N=${n.n} all answered`), unit: 'ms', value: round(n.allAnsweredMs, 3), extra: `one run of ${n.n} plugins started at once; p50 of each plugin's own start ${round(n.startP50Ms, 3)} ms`})
      if (n.memory.measured) entries.push({name: name(`N=${n.n} memory per plugin`), unit: 'bytes', value: n.memory.perPluginBytes, extra: `${n.memory.method} of the whole process tree: ${n.memory.hostBytes} bytes before, ${n.memory.totalBytes} with ${n.n} plugins`})
    }
    const c = row.calls.status === 'measured' ? largestOk(row.calls.points, (p) => p.c) : undefined
    if (c) entries.push({name: name(`C=${c.c} call p99`), unit: 'ns', value: round(c.p99Ns, 1), extra: `${c.callsPerSec} calls/s (windows ${Math.min(...c.windowCallsPerSec)}-${Math.max(...c.windowCallsPerSec)})${c.gainOverC1 !== undefined ? `; ${c.gainOverC1}x C=1` : ''}${c.vsFloor !== undefined ? `; ${c.vsFloor}x ${row.floor}'s throughput` : ''}`})
  }
  return entries
}

export function benchmarkActionEntries(machines: readonly Machine[]): BenchmarkActionEntry[] {
  const entries: BenchmarkActionEntry[] = []
  for (const machine of machines) {
    for (const row of machine.report.bench ?? []) {
      if (row.status !== 'ok') continue
      const name = (what: string) => `${machine.label} ${row.mechanism} ${what}`
      if (row.call) {
        const call = row.call
        const overhead = ratioOf(row, 'call')
        entries.push({
          name: name('call p50'),
          unit: 'ns',
          value: round(call.p50Ns, 1),
          ...(call.p50Interval ? {range: `± ${round(halfWidthPct(call.p50Ns, call.p50Interval), 2)}%`} : {}),
          extra: [
            call.timing === 'batch-mean' ? `batch mean of ${call.batch} calls` : 'per call',
            call.p99Ns !== undefined ? `p99 ${round(call.p99Ns, 1)} ns` : `max ${round(call.maxNs, 1)} ns of ${call.samples}`,
            `${call.rounds.length} rounds`,
            ...(overhead ? [`${overhead.median}x ${overhead.against} (${overhead.low}–${overhead.high})${overhead.flags.length > 0 ? ' flagged' : ''}`] : []),
          ].join('; '),
        })
      }
      if (row.coldStart) {
        const cold = row.coldStart
        entries.push({
          name: name('cold start p50'),
          unit: 'ms',
          value: round(cold.p50Ms, 3),
          ...(cold.p50Interval ? {range: `± ${round(halfWidthPct(cold.p50Ms, cold.p50Interval), 2)}%`} : {}),
          extra: `${cold.p99Ms !== undefined ? `p99 ${round(cold.p99Ms, 3)} ms` : `max ${round(cold.maxMs, 3)} ms`}; ${cold.samples} samples`,
        })
      }
    }
    entries.push(...scaleEntries(machine))
  }
  return entries
}

export function renderBenchmarkAction(machines: readonly Machine[]): string {
  return `${JSON.stringify(benchmarkActionEntries(machines), null, 2)}\n`
}
