// The figures `compare` reads from a run's rows, each smaller-is-better.
import type {ScaleRowOk} from '../results/scale.js'
import type {BenchRowOk} from '../results/types.js'

export type Unit = 'ns' | 'ms' | 'x' | 'bytes'

/** A figure of one run: its median and the rounds (or samples) behind it. */
export interface Figure {
  figure: string
  unit: Unit
  median: number
  values: number[]
}

/** The figures `compare` reads from a row: its call p50 and cold start, and each of its paired ratios. */
export function figuresOf(row: BenchRowOk): Figure[] {
  const out: Figure[] = []
  if (row.call) out.push({figure: 'call', unit: 'ns', median: row.call.p50Ns, values: row.call.rounds})
  if (row.coldStart) out.push({figure: 'coldStart', unit: 'ms', median: row.coldStart.p50Ms, values: row.coldStart.samplesMs})
  for (const ratio of row.ratios ?? []) out.push({figure: `${ratio.figure} vs ${ratio.against}`, unit: 'x', median: ratio.median, values: ratio.blocks ?? ratio.rounds})
  return out
}

// scale's figures: at every N, the time until all answered and the memory per plugin (one measurement each:
// compare shows them, too few to test); at every C, the time per call that the throughput gives (1 / calls per
// second), with the run's five windows as its samples.

export function scaleFigures(row: ScaleRowOk): Figure[] {
  const out: Figure[] = []
  if (row.instances.status === 'measured') {
    for (const p of row.instances.points) {
      if (p.status !== 'ok') continue
      out.push({figure: `scale N=${p.n} all answered`, unit: 'ms', median: p.allAnsweredMs, values: [p.allAnsweredMs]})
      if (p.memory.measured) out.push({figure: `scale N=${p.n} memory per plugin`, unit: 'bytes', median: p.memory.perPluginBytes, values: [p.memory.perPluginBytes]})
    }
  }
  if (row.calls.status === 'measured') {
    for (const p of row.calls.points) {
      if (p.status !== 'ok' || !(p.callsPerSec > 0)) continue
      // A window in which no call ended has no time per call: it is left out of the samples.
      const windows = p.windowCallsPerSec.filter((rate) => rate > 0).map((rate) => 1e9 / rate)
      out.push({figure: `scale C=${p.c} 1 / throughput`, unit: 'ns', median: 1e9 / p.callsPerSec, values: windows})
    }
  }
  return out
}
