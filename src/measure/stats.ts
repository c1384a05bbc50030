// Statistics on fixed samples: quantiles (tinybench's definition), the median with a distribution-free interval,
// and the Mann-Whitney U test (exact for small samples without ties, normal approximation otherwise), as
// benchstat uses to tell a change from noise.

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

/** Samples needed before a percentile says more than the maximum does: 10 for p90, 100 for p99, 1000 for p99.9. */
export function samplesNeeded(q: number): number {
  return Math.round(1 / (1 - q))
}

export function median(values: readonly number[]): number {
  return quantile([...values].sort((a, b) => a - b), 0.5)
}

/** A ratio rounded for reading, or undefined when either side is missing. */
export function ratio(value: number | undefined, floor: number | undefined): number | undefined {
  if (value === undefined || floor === undefined || !(floor > 0)) return undefined
  return Math.round((value / floor) * 100) / 100
}

/** P(X <= k) for X ~ Binomial(n, 1/2). */
function binomialHalfCdf(n: number, k: number): number {
  let term = 0.5 ** n
  let sum = 0
  for (let i = 0; i <= k; i++) {
    sum += term
    term = (term * (n - i)) / (i + 1)
  }
  return sum
}

/** A median with its interval; `confidence` is the interval's actual coverage (below the goal when n is small). */
export interface MedianInterval {
  median: number
  low: number
  high: number
  confidence: number
  n: number
}

/**
 * The median of `values` with the order-statistics interval [x(k), x(n+1-k)]: the narrowest whose coverage is at
 * least `goal`, from the binomial distribution of how many values fall below the true median. Needs no
 * assumption on the distribution. With fewer than 6 values no interval reaches 95%: the widest one, [min, max],
 * is returned with its real coverage (93.8% for 5 values).
 */
export function medianInterval(values: readonly number[], goal = 0.95): MedianInterval | undefined {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b)
  const n = sorted.length
  if (n === 0) return undefined
  let k = 1
  while (k + 1 <= (n + 1) / 2 && 1 - 2 * binomialHalfCdf(n, k) >= goal) k++
  const confidence = 1 - 2 * binomialHalfCdf(n, k - 1)
  return {median: quantile(sorted, 0.5), low: sorted[k - 1]!, high: sorted[n - k]!, confidence, n}
}

/** Ratios of paired rounds: `rows[i] / floors[i]`, pairs with a missing or non-positive side left out. */
export function pairedRatios(rows: readonly number[], floors: readonly number[]): number[] {
  const out: number[] = []
  for (let i = 0; i < Math.min(rows.length, floors.length); i++) {
    if (rows[i]! > 0 && floors[i]! > 0) out.push(rows[i]! / floors[i]!)
  }
  return out
}

/** Ranks 1..n with ties given their average rank, and the tie groups' sizes. */
function rank(values: readonly number[]): {ranks: number[]; ties: number[]} {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0])
  const ranks = new Array<number>(values.length)
  const ties: number[] = []
  for (let start = 0; start < order.length; ) {
    let end = start
    while (end + 1 < order.length && order[end + 1]![0] === order[start]![0]) end++
    const average = (start + end) / 2 + 1
    for (let j = start; j <= end; j++) ranks[order[j]![1]] = average
    if (end > start) ties.push(end - start + 1)
    start = end + 1
  }
  return {ranks, ties}
}

/** P(U <= u) for the U statistic of samples of n1 and n2 values without ties (all orderings equally likely). */
export function mannWhitneyExactCdf(n1: number, n2: number, u: number): number {
  if (u < 0) return 0
  // p[i][j][v]: probability that U = v for samples of i and j values; built up by where the largest value falls.
  const max = n1 * n2
  let previous: Float64Array[] = []
  for (let i = 0; i <= n1; i++) {
    const row: Float64Array[] = []
    for (let j = 0; j <= n2; j++) {
      const p = new Float64Array(max + 1)
      if (i === 0 || j === 0) p[0] = 1
      else {
        // The largest value is from the first sample with probability i/(i+j): it then beats all j of the other.
        const fromFirst = previous[j]!
        const fromSecond = row[j - 1]!
        for (let v = 0; v <= i * j; v++) p[v] = (i / (i + j)) * (v >= j ? fromFirst[v - j]! : 0) + (j / (i + j)) * fromSecond[v]!
      }
      row.push(p)
    }
    previous = row
  }
  const dist = previous[n2]!
  let sum = 0
  for (let v = 0; v <= Math.min(u, max); v++) sum += dist[v]!
  return Math.min(1, sum)
}

/** The standard normal distribution's upper tail, P(Z > z), from a Chebyshev fit of erfc (fractional error < 1.2e-7). */
export function normalUpperTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2
  const t = 1 / (1 + 0.5 * x)
  const erfc =
    t *
    Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))))
  const upper = erfc / 2
  return z >= 0 ? upper : 1 - upper
}

export interface MannWhitney {
  /** U of the first sample: how many (x, y) pairs have x > y, ties counting one half. */
  u: number
  /** Two-sided p-value. */
  p: number
  method: 'exact' | 'normal'
}

/** Samples up to this size, without ties, get the exact distribution; larger ones the normal approximation. */
const EXACT_MAX_N = 50

/** The two-sided Mann-Whitney U test of whether `x` and `y` come from the same distribution. */
export function mannWhitney(x: readonly number[], y: readonly number[]): MannWhitney | undefined {
  const n1 = x.length
  const n2 = y.length
  if (n1 === 0 || n2 === 0) return undefined
  const {ranks, ties} = rank([...x, ...y])
  const r1 = ranks.slice(0, n1).reduce((s, r) => s + r, 0)
  const u = r1 - (n1 * (n1 + 1)) / 2
  const smaller = Math.min(u, n1 * n2 - u)
  if (ties.length === 0 && n1 <= EXACT_MAX_N && n2 <= EXACT_MAX_N) {
    return {u, p: Math.min(1, 2 * mannWhitneyExactCdf(n1, n2, Math.floor(smaller))), method: 'exact'}
  }
  const n = n1 + n2
  const tieTerm = ties.reduce((s, t) => s + t ** 3 - t, 0) / (n * (n - 1))
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm)
  if (!(variance > 0)) return {u, p: 1, method: 'normal'}
  // Continuity correction: U moves in steps of 1/2 at least.
  const z = Math.max(0, Math.abs(u - (n1 * n2) / 2) - 0.5) / Math.sqrt(variance)
  return {u, p: Math.min(1, 2 * normalUpperTail(z)), method: 'normal'}
}

/** A change between two samples: the Hodges-Lehmann shift of log values, as a factor, with its interval. */
export interface ShiftEstimate {
  /** new / old, as the median of all pairwise ratios. */
  factor: number
  low: number
  high: number
  confidence: number
}

/**
 * How much `after` differs from `before`, as a factor: the median of every ratio after[j] / before[i] (the
 * Hodges-Lehmann estimate on log values), with the distribution-free interval that inverts the Mann-Whitney test,
 * so the interval leaves out 1 exactly when the change is significant at that level.
 */
export function shiftFactor(before: readonly number[], after: readonly number[], goal = 0.95): ShiftEstimate | undefined {
  const a = before.filter((v) => v > 0)
  const b = after.filter((v) => v > 0)
  const n1 = a.length
  const n2 = b.length
  if (n1 === 0 || n2 === 0) return undefined
  const logRatios: number[] = []
  for (const x of a) for (const y of b) logRatios.push(Math.log(y / x))
  logRatios.sort((p, q) => p - q)
  const m = logRatios.length
  const exact = n1 <= EXACT_MAX_N && n2 <= EXACT_MAX_N && n1 * n2 <= 2500
  // The interval [r(k), r(m+1-k)] of the sorted pairwise ratios, k the largest with P(U <= k-1) <= (1-goal)/2;
  // at least k = 1 (the full range), whose coverage is then below the goal.
  let k = 1
  let confidence: number
  if (exact) {
    while (k + 1 <= (m + 1) / 2 && 1 - 2 * mannWhitneyExactCdf(n1, n2, k) >= goal) k++
    confidence = 1 - 2 * mannWhitneyExactCdf(n1, n2, k - 1)
  } else {
    const z = 1.959963984540054
    k = Math.max(1, Math.floor((n1 * n2) / 2 - z * Math.sqrt((n1 * n2 * (n1 + n2 + 1)) / 12)))
    confidence = goal
  }
  return {factor: Math.exp(quantile(logRatios, 0.5)), low: Math.exp(logRatios[k - 1]!), high: Math.exp(logRatios[m - k]!), confidence}
}

export {round} from '../core/numbers.js'
