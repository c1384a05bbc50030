// scale's figures as compare reads them, each smaller-is-better: at every N, the time until all answered and the
// memory per plugin (one measurement each: compare shows them, too few to test); at every C, the time per call
// that the throughput gives (1 / calls per second), with the run's five windows as its samples.
import type {Figure} from './compare.js'
import type {ScaleRowOk} from './scale.js'

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
