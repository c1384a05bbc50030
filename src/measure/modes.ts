// Bimodality on the log histogram: IPC round trips here fall in two modes (a busy core answers in ~15 µs, an idle
// one takes ~100 µs to wake), and a p50 alone hides which one a run sat in. A row is bimodal when its histogram,
// coarsened to quarter octaves and smoothed, has two peaks at least 0.75 octave apart with a valley between them
// below half the lower peak, and each side of the valley holds at least 10% of the samples.
import type {Mode} from '../results/figures.js'
import {BUCKETS_PER_OCTAVE, bucketMiddle, type LogHistogram} from './histogram.js'

const BINS_PER_OCTAVE = 4
const MIN_SAMPLES = 50
const MIN_SEPARATION_BINS = 3
const MAX_VALLEY_TO_PEAK = 0.5
const MIN_SHARE = 0.1

/** The two modes of a bimodal histogram (lower first), or undefined when it is not clearly bimodal. */
export function findModes(h: LogHistogram): [Mode, Mode] | undefined {
  if (h.count < MIN_SAMPLES) return undefined
  const perBin = BUCKETS_PER_OCTAVE / BINS_PER_OCTAVE
  const buckets = h.sortedBuckets()
  const first = Math.floor(buckets[0]![0] / perBin)
  const last = Math.floor(buckets.at(-1)![0] / perBin)
  const density = new Array<number>(last - first + 1).fill(0)
  for (const [index, count] of buckets) density[Math.floor(index / perBin) - first]! += count
  const smooth = density.map((d, i) => ((density[i - 1] ?? 0) + 2 * d + (density[i + 1] ?? 0)) / 4)
  const peaks = smooth.map((s, i) => i).filter((i) => smooth[i]! > 0 && smooth[i]! >= (smooth[i - 1] ?? 0) && smooth[i]! > (smooth[i + 1] ?? 0))
  let best: {low: number; valley: number; high: number; strength: number} | undefined
  for (let a = 0; a < peaks.length; a++) {
    for (let b = a + 1; b < peaks.length; b++) {
      const [low, high] = [peaks[a]!, peaks[b]!]
      if (high - low < MIN_SEPARATION_BINS) continue
      let valley = low + 1
      for (let i = low + 1; i < high; i++) if (smooth[i]! < smooth[valley]!) valley = i
      const strength = Math.min(smooth[low]!, smooth[high]!)
      if (smooth[valley]! > MAX_VALLEY_TO_PEAK * strength) continue
      const below = density.slice(0, valley + 1).reduce((s, d) => s + d, 0) - density[valley]! / 2
      if (below < MIN_SHARE * h.count || h.count - below < MIN_SHARE * h.count) continue
      if (!best || strength > best.strength) best = {low, valley, high, strength}
    }
  }
  if (!best) return undefined
  // The samples split at the valley bin's middle; each mode is named by the median of its side.
  const split = (first + best.valley) * perBin + perBin / 2
  const mode = (side: [number, number][]): Mode => {
    const count = side.reduce((s, [, c]) => s + c, 0)
    let seen = 0
    const middle = side.find(([, c]) => (seen += c) >= count / 2)![0]
    return {ns: bucketMiddle(middle), share: Math.round((count / h.count) * 1000) / 1000}
  }
  return [mode(buckets.filter(([i]) => i < split)), mode(buckets.filter(([i]) => i >= split))]
}
