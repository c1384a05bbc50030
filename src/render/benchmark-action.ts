// github-action-benchmark's `customSmallerIsBetter` input: a JSON array of {name, unit, value, range?, extra?}.
// Names carry the machine's label so each OS keeps its own series from run to run.
import {round} from '../core/numbers.js'
import type {Machine} from '../report/merge.js'

export interface BenchmarkActionEntry {
  name: string
  unit: string
  value: number
  range?: string
  extra?: string
}

export function benchmarkActionEntries(machines: readonly Machine[]): BenchmarkActionEntry[] {
  const entries: BenchmarkActionEntry[] = []
  for (const machine of machines) {
    for (const row of machine.report.bench ?? []) {
      if (row.status !== 'ok') continue
      const name = (what: string) => `${machine.label} ${row.mechanism} ${what}`
      if (row.call) {
        entries.push({
          name: name('call p50'),
          unit: 'ns',
          value: round(row.call.p50Ns, 1),
          range: `± ${round(row.call.rmePct, 2)}%`,
          extra: `p99 ${round(row.call.p99Ns, 1)} ns; ${row.call.samples} samples${row.call.batch > 1 ? ` of ${row.call.batch} calls` : ''}${row.overheadRatio !== undefined ? `; ${row.overheadRatio}x ${row.floor}` : ''}`,
        })
      }
      if (row.coldStart) {
        entries.push({
          name: name('cold start p50'),
          unit: 'ms',
          value: round(row.coldStart.p50Ms, 3),
          extra: `p99 ${round(row.coldStart.p99Ms, 3)} ms; ${row.coldStart.samples} samples`,
        })
      }
    }
  }
  return entries
}

export function renderBenchmarkAction(machines: readonly Machine[]): string {
  return `${JSON.stringify(benchmarkActionEntries(machines), null, 2)}\n`
}
