import {round} from '../core/numbers.js'

// Order statistics on fixed samples, the same definition tinybench uses (linear interpolation between ranks).
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN
  const pos = (sorted.length - 1) * q
  const lower = Math.floor(pos)
  const upper = Math.ceil(pos)
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (pos - lower)
}

export function summarize(samples: readonly number[]): {p50: number; p99: number; mean: number; count: number} {
  const sorted = [...samples].sort((a, b) => a - b)
  const mean = sorted.reduce((s, x) => s + x, 0) / (sorted.length || 1)
  return {p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), mean, count: sorted.length}
}

/** A ratio rounded for reading, or undefined when either side is missing. */
export function ratio(value: number | undefined, floor: number | undefined): number | undefined {
  if (value === undefined || floor === undefined || !(floor > 0)) return undefined
  return round(value / floor, 2)
}
