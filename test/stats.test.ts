import {describe, expect, it} from 'vitest'
import {quantile, ratio, summarize} from '../src/measure/stats.js'
import {formatBytes, formatNs, formatRatio} from '../src/render/format.js'

describe('statistics on fixed samples', () => {
  it('interpolates quantiles between ranks as tinybench does', () => {
    expect(quantile([1, 2, 3, 4, 5, 6], 0.75)).toBe(4.75)
    expect(quantile([1, 2, 3, 4, 5, 6], 0.5)).toBe(3.5)
    expect(quantile([10], 0.99)).toBe(10)
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

describe('formatting', () => {
  it('picks a unit a person reads at a glance', () => {
    expect([formatNs(51.2), formatNs(36_200), formatNs(1_234_000), formatNs(2.5e9), formatNs(undefined)]).toEqual(['51.2 ns', '36.2 µs', '1.23 ms', '2.5 s', '-'])
    expect([formatBytes(512), formatBytes(1536), formatBytes(43.3 * 1024 * 1024)]).toEqual(['512 B', '1.5 KiB', '43.3 MiB'])
    expect(formatRatio(1.094)).toBe('1.09x')
  })
})
