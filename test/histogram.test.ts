import {describe, expect, it} from 'vitest'
import {bucketBounds, bucketOf, LogHistogram, percentiles} from '../src/measure/histogram.js'
import {findModes} from '../src/measure/modes.js'
import {logNormal, seededRandom} from './support/samples.js'

describe('the log-bucketed histogram', () => {
  it('has fixed buckets of 1/16 octave', () => {
    expect([bucketOf(1), bucketOf(2), bucketOf(1024), bucketOf(1.5)]).toEqual([0, 16, 160, 9])
    expect(bucketBounds(16)).toEqual({lowNs: 2, highNs: 2 ** (17 / 16)})
  })

  it('gives quantiles within half a bucket, and the exact extremes', () => {
    const h = LogHistogram.of(Array.from({length: 100}, (_, i) => (i + 1) * 1000))
    expect(Math.abs(h.quantile(0.5) / 50_000 - 1)).toBeLessThan(0.022)
    expect(Math.abs(h.quantile(0.9) / 90_000 - 1)).toBeLessThan(0.022)
    expect(h.quantile(0)).toBe(1000)
    expect(h.quantile(1)).toBe(100_000)
    expect(h.meanNs).toBe(50_500)
  })

  it('merges by adding counts: two halves make the whole', () => {
    const samples = logNormal(seededRandom(7), 500, 20_000, 0.4)
    const merged = LogHistogram.of(samples.slice(0, 200)).merge(LogHistogram.of(samples.slice(200)))
    const whole = LogHistogram.of(samples).toJSON()
    expect(merged.toJSON().buckets).toEqual(whole.buckets)
    expect(merged.toJSON()).toEqual(whole)
  })

  it('writes the same JSON as the Go harness (fixtures/go/internal/harness/histogram_test.go)', () => {
    expect(JSON.stringify(LogHistogram.of([12_000, 15_000, 15_500, 110_000]).toJSON())).toBe(
      '{"bucketsPerOctave":16,"count":4,"minNs":12000,"maxNs":110000,"sumNs":152500,"buckets":[[216,1],[221,1],[222,1],[267,1]]}',
    )
  })

  it('survives its JSON form', () => {
    const h = LogHistogram.of([12_000, 15_000, 15_500, 110_000])
    const json = JSON.parse(JSON.stringify(h.toJSON()))
    expect(LogHistogram.from(json).toJSON()).toEqual(h.toJSON())
    expect(() => LogHistogram.from({...json, bucketsPerOctave: 8})).toThrow(/8 buckets per octave/)
  })

  it('reports a percentile only from enough samples: max of N otherwise', () => {
    expect(Object.keys(percentiles(LogHistogram.of([5, 6, 7, 8, 9])))).toEqual(['p50Ns', 'maxNs', 'count'])
    const hundred = percentiles(LogHistogram.of(Array.from({length: 100}, (_, i) => i + 1)))
    expect(Object.keys(hundred).sort()).toEqual(['count', 'maxNs', 'p50Ns', 'p90Ns', 'p99Ns'])
    expect(hundred.maxNs).toBe(100)
  })
})

describe('bimodality', () => {
  it('names both modes of a busy/idle IPC mixture', () => {
    const random = seededRandom(42)
    const samples = [...logNormal(random, 1200, 15_000, 0.15), ...logNormal(random, 800, 110_000, 0.2)]
    const modes = findModes(LogHistogram.of(samples))!
    expect(modes).toHaveLength(2)
    expect(Math.abs(modes[0].ns / 15_000 - 1)).toBeLessThan(0.08)
    expect(Math.abs(modes[1].ns / 110_000 - 1)).toBeLessThan(0.08)
    expect(modes[0].share).toBeCloseTo(0.6, 1)
    expect(modes[1].share).toBeCloseTo(0.4, 1)
  })

  it('finds a minor mode of 15%', () => {
    const random = seededRandom(3)
    expect(findModes(LogHistogram.of([...logNormal(random, 850, 20_000, 0.2), ...logNormal(random, 150, 120_000, 0.2)]))?.[1].share).toBeCloseTo(0.15, 1)
  })

  it.each([1, 2, 3, 4, 5])('leaves a unimodal sample alone (seed %i), narrow, wide or with a thin tail', (seed) => {
    const random = seededRandom(seed)
    expect(findModes(LogHistogram.of(logNormal(random, 2000, 20_000, 0.15)))).toBeUndefined()
    expect(findModes(LogHistogram.of(logNormal(random, 2000, 20_000, 0.6)))).toBeUndefined()
    expect(findModes(LogHistogram.of(logNormal(random, 60, 20_000, 0.3)))).toBeUndefined()
    // 2% of slow outliers are a tail, not a mode.
    expect(findModes(LogHistogram.of([...logNormal(random, 1960, 20_000, 0.2), ...logNormal(random, 40, 200_000, 0.2)]))).toBeUndefined()
  })

  it('says nothing below 50 samples', () => {
    expect(findModes(LogHistogram.of([...Array(20).fill(10_000), ...Array(20).fill(100_000)]))).toBeUndefined()
  })
})
