// A small text histogram of a row's calls, for markdown and terminals: half-octave bars on a log axis, so the two
// modes of an IPC row (a busy core, an idle one waking) show as two humps.
import {bucketBounds} from '../results/buckets.js'
import type {HistogramData} from '../results/figures.js'
import {formatNs} from './format.js'

const BINS_PER_OCTAVE = 2
const WIDTH = 30
/** Bars below this share of the samples are left out at both ends (the tails live in p99 and max). */
const EDGE_SHARE = 0.002

/** Lines "   16 µs │██████████▌ 31%", one per half octave from the first to the last well-filled bin. */
export function histogramLines(data: HistogramData): string[] {
  if (data.count === 0) return []
  const perBin = data.bucketsPerOctave / BINS_PER_OCTAVE
  const bins = new Map<number, number>()
  for (const [index, count] of data.buckets) bins.set(Math.floor(index / perBin), (bins.get(Math.floor(index / perBin)) ?? 0) + count)
  const keys = [...bins.keys()].sort((a, b) => a - b)
  const filled = keys.filter((k) => bins.get(k)! / data.count >= EDGE_SHARE)
  const first = filled[0] ?? keys[0]!
  const last = filled.at(-1) ?? keys.at(-1)!
  const top = Math.max(...[...bins.values()])
  const lines: string[] = []
  for (let bin = first; bin <= last; bin++) {
    const count = bins.get(bin) ?? 0
    const eighths = Math.round((count / top) * WIDTH * 8)
    const bar = '█'.repeat(Math.floor(eighths / 8)) + (eighths % 8 > 0 ? '▏▎▍▌▋▊▉'[(eighths % 8) - 1]! : '')
    const from = formatNs(bucketBounds(bin * perBin).lowNs)
    const share = Math.round((count / data.count) * 1000) / 10
    lines.push(`${from.padStart(8)} │${bar} ${share}%`)
  }
  return lines
}
