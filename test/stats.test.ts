import {describe, expect, it} from 'vitest'
import {mannWhitney, mannWhitneyExactCdf, median, medianInterval, normalUpperTail, pairedRatios, quantile, ratio, shiftFactor, summarize} from '../src/measure/stats.js'
import {formatBytes, formatNs, formatRatio} from '../src/render/format.js'

describe('statistics on fixed samples', () => {
  it('interpolates quantiles between ranks as tinybench does', () => {
    expect(quantile([1, 2, 3, 4, 5, 6], 0.75)).toBe(4.75)
    expect(quantile([1, 2, 3, 4, 5, 6], 0.5)).toBe(3.5)
    expect(quantile([10], 0.99)).toBe(10)
    expect(median([5, 1, 4])).toBe(4)
  })

  it('summarizes unsorted samples', () => {
    expect(summarize([5, 1, 3])).toEqual({p50: 3, p99: 4.96, mean: 3, count: 3})
  })

  it('rounds ratios and refuses a missing or zero floor', () => {
    expect(ratio(150, 100)).toBe(1.5)
    expect(ratio(1, 3)).toBe(0.33)
    expect(ratio(1, 0)).toBeUndefined()
    expect(ratio(undefined, 5)).toBeUndefined()
  })
})

describe('the median with an order-statistics interval', () => {
  it('gives (x2, x9) for 10 values, as the binomial table does, with its exact coverage', () => {
    expect(medianInterval([10, 9, 8, 7, 6, 5, 4, 3, 2, 1])).toEqual({median: 5.5, low: 2, high: 9, confidence: 1 - (2 * 11) / 1024, n: 10})
  })

  it('gives (x6, x15) for 20 values', () => {
    const values = Array.from({length: 20}, (_, i) => i + 1)
    const interval = medianInterval(values)!
    expect([interval.low, interval.high]).toEqual([6, 15])
    expect(interval.confidence).toBeCloseTo(1 - (2 * 21_700) / 1_048_576, 12)
  })

  it('says so when too few values reach 95%: 5 values give [min, max] at 93.75%', () => {
    expect(medianInterval([3, 1, 4, 1, 5])).toEqual({median: 3, low: 1, high: 5, confidence: 0.9375, n: 5})
    expect(medianInterval([2, 4, 6, 8, 10, 12])!.confidence).toBe(1 - 2 / 64)
    expect(medianInterval([7])).toEqual({median: 7, low: 7, high: 7, confidence: 0, n: 1})
    expect(medianInterval([])).toBeUndefined()
  })

  it('pairs rounds by position and leaves out a pair with a missing side', () => {
    expect(pairedRatios([30, 20, 0, 45], [15, 10, 12, 30])).toEqual([2, 2, 1.5])
  })
})

describe('the Mann-Whitney U test', () => {
  // Critical values of U for a two-sided test at alpha = 0.05 (the standard table): U <= critical is significant.
  const critical: [number, number][] = [
    [5, 2],
    [8, 13],
    [10, 23],
    [20, 127],
  ]
  it.each(critical)('with %i values per sample, U = %i is the largest significant at 5%% (exact distribution)', (n, u) => {
    expect(2 * mannWhitneyExactCdf(n, n, u)).toBeLessThanOrEqual(0.05)
    expect(2 * mannWhitneyExactCdf(n, n, u + 1)).toBeGreaterThan(0.05)
  })

  it('counts the orderings exactly: P(U <= 2) = 4/252 for 5 and 5 values', () => {
    expect(mannWhitneyExactCdf(5, 5, 2)).toBeCloseTo(4 / 252, 14)
    expect(mannWhitneyExactCdf(5, 5, 25)).toBeCloseTo(1, 14)
  })

  it('finds two separated samples significant, exactly', () => {
    expect(mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])).toEqual({u: 0, p: expect.closeTo(2 / 252, 12), method: 'exact'})
    expect(mannWhitney([1, 3, 5, 7, 9], [2, 4, 6, 8, 10])!.p).toBeGreaterThan(0.5)
  })

  it('uses the normal approximation with tie and continuity corrections when values tie (U = 2, p = 0.1016 by hand)', () => {
    // Ranks: 1 -> 1; the three 2s -> 3; 3 -> 5; 4 -> 6; the two 5s -> 7.5. R1 = 12, U = 2; variance 16/12 * (9 - 30/56), z = (6 - 0.5) / 3.3594 = 1.6372.
    const result = mannWhitney([1, 2, 2, 3], [2, 4, 5, 5])!
    expect(result.u).toBe(2)
    expect(result.method).toBe('normal')
    expect(result.p).toBeCloseTo(0.1016, 3)
    expect(mannWhitney([1, 1, 1], [1, 1, 1])).toEqual({u: 4.5, p: 1, method: 'normal'})
  })

  it('has a normal tail that matches the table', () => {
    expect(normalUpperTail(1.959964)).toBeCloseTo(0.025, 6)
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 7)
    expect(normalUpperTail(-1)).toBeCloseTo(0.841345, 5)
  })
})

describe('the change between two runs', () => {
  it('is the Hodges-Lehmann factor with an interval that leaves out 1 when the change is significant', () => {
    const before = [10, 11, 12, 13, 14]
    const shift = shiftFactor(before, before.map((v) => v * 2))!
    expect(shift.factor).toBeCloseTo(2, 12)
    expect(shift.low).toBeGreaterThan(1)
    expect(shift.confidence).toBeCloseTo(1 - (2 * 4) / 252, 12)
  })

  it('includes 1 when nothing changed', () => {
    const shift = shiftFactor([10, 12, 11, 13, 9, 10], [11, 10, 12, 9, 13, 10])!
    expect(shift.low).toBeLessThan(1)
    expect(shift.high).toBeGreaterThan(1)
    expect(shiftFactor([], [1])).toBeUndefined()
  })
})

describe('formatting', () => {
  it('picks a unit a person reads at a glance', () => {
    expect([formatNs(51.2), formatNs(36_200), formatNs(1_234_000), formatNs(2.5e9), formatNs(undefined)]).toEqual(['51.2 ns', '36.2 µs', '1.23 ms', '2.5 s', '-'])
    expect([formatBytes(512), formatBytes(1536), formatBytes(43.3 * 1024 * 1024)]).toEqual(['512 B', '1.5 KiB', '43.3 MiB'])
    expect(formatRatio(1.094)).toBe('1.09x')
    expect([formatRatio(0.00282), formatRatio(0.0884), formatRatio(0)]).toEqual(['0.0028x', '0.09x', '0x'])
  })
})
