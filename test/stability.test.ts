import {describe, expect, it} from 'vitest'
import {blockRatios, pairedRatio, pairOrder, samplePairs, stabilityFlags} from '../src/measure/stability.js'

/** Fake samplers that record the order they are called in, as "A" and "B". */
function recorder(failBAt?: number) {
  const order: string[] = []
  let bCalls = 0
  return {
    order,
    a: async () => {
      order.push('A')
      return 2
    },
    b: async () => {
      bCalls++
      if (bCalls === failBAt) throw new Error('the floor broke')
      order.push('B')
      return 1
    },
  }
}

describe('the pairing order', () => {
  it('alternates which side goes first: A B, B A, A B, B A', () => {
    expect([0, 1, 2, 3].flatMap((pair) => pairOrder(pair)).join('')).toBe('abbaabba')
  })

  it('takes the planned pairs in that order', async () => {
    const r = recorder()
    const result = await samplePairs({planned: 4, extra: {ms: 0}, unsettled: () => true}, r.a, r.b)
    expect(r.order.join('')).toBe('ABBAABBA')
    expect(result).toEqual({a: [2, 2, 2, 2], b: [1, 1, 1, 1], paired: true})
  })

  it('goes on with the row alone when its floor breaks, and says why', async () => {
    const r = recorder(2)
    const failures: string[] = []
    const result = await samplePairs({planned: 4, extra: {ms: 1000}, unsettled: () => true}, r.a, r.b, (error) => failures.push((error as Error).message))
    expect(r.order.join('')).toBe('ABAAA')
    expect(result.paired).toBe(false)
    expect(failures).toEqual(['the floor broke'])
  })

  it('adds pairs two at a time while the ratio is unsettled, within the extra time, and spends that time', async () => {
    let clock = 0
    const r = recorder()
    const extra = {ms: 25}
    // Each read of the clock moves it 10 ms: the extras start at 10; the decisions at 20 and 30 go ahead, the one at 40 stops.
    const result = await samplePairs({planned: 2, extra, unsettled: () => true, now: () => (clock += 10)}, r.a, r.b)
    expect(r.order.join('')).toBe('ABBA' + 'ABBA' + 'ABBA')
    expect(result.a).toHaveLength(6)
    expect(extra.ms).toBe(0)
  })

  it('stops at the deadline once the minimum is taken, whatever was planned', async () => {
    let clock = 0
    const r = recorder()
    // Each sample takes 5 ms: the deadline at 15 ms has passed after 2 pairs, but the minimum is 3.
    const tick = (sample: () => Promise<number>) => async () => ((clock += 5), sample())
    const result = await samplePairs({planned: 6, minimum: 3, deadline: 15, extra: {ms: 0}, unsettled: () => true, now: () => clock}, tick(r.a), tick(r.b))
    expect(r.order.join('')).toBe('ABBAAB')
    expect(result.a).toHaveLength(3)
  })

  it('stops adding pairs once the ratio settles', async () => {
    const r = recorder()
    let decisions = 0
    await samplePairs({planned: 2, extra: {ms: 10_000}, unsettled: () => ++decisions < 2}, r.a, r.b)
    expect(r.order.join('')).toBe('ABBAABBA')
  })
})

describe('the stability flags, on hand-built rounds', () => {
  it('leave a steady ratio alone', () => {
    expect(stabilityFlags([1.1, 1.12, 1.11, 1.09, 1.13, 1.1, 1.12, 1.11, 1.1, 1.12, 1.11, 1.12], 'floor')).toEqual([])
  })

  it('flag a wide interval with its width', () => {
    expect(stabilityFlags([0.8, 1.5, 0.9, 1.4, 1.0, 1.3, 0.85, 1.45, 1.1, 1.2, 0.95, 1.35], 'floor')).toEqual([{code: 'wide-interval', widthFactor: 1.56}])
  })

  it('flag rounds whose halves disagree: the machine changed during the run', () => {
    const rounds = [1.0, 1.02, 0.99, 1.01, 1.0, 1.03, 1.5, 1.52, 1.49, 1.51, 1.5, 1.53]
    expect(stabilityFlags(rounds, 'floor')).toContainEqual({code: 'rounds-disagree', firstHalf: 1.005, secondHalf: 1.505, p: 0.0049})
  })

  it('flag a row below its floor, but not a row faster than another row', () => {
    const rounds = [0.5, 0.52, 0.49, 0.51, 0.5, 0.53, 0.5, 0.52, 0.49, 0.51, 0.5, 0.53]
    expect(stabilityFlags(rounds, 'floor')).toEqual([{code: 'below-floor', median: 0.505}])
    expect(stabilityFlags(rounds, 'row')).toEqual([])
  })

  it('build a paired ratio from two sides round by round, its figures from the blocks of two pairs', () => {
    expect(pairedRatio('call', 'floor-x', 'floor', [30, 20, 45, 36, 16], [15, 10, 30, 18, 8])).toEqual({
      figure: 'call',
      against: 'floor-x',
      kind: 'floor',
      median: 1.866,
      low: 1.732,
      high: 2,
      confidence: 0.5,
      rounds: [2, 2, 1.5, 2, 2],
      blocks: [2, 1.7321],
      flags: [],
    })
  })

  it('cancel a fast and a slow state that alternate with the place in time, which the pairs alone would not', () => {
    // Times 0, 1, 2, ... in A B B A order; every round at an even time is 2.5x slower, whichever side it is.
    const a: number[] = []
    const b: number[] = []
    for (let pair = 0; pair < 12; pair++) {
      const [first] = pairOrder(pair)
      const slowA = first === 'a'
      a.push(11 * (slowA ? 2.5 : 1))
      b.push(10 * (slowA ? 1 : 2.5))
    }
    const ratio = pairedRatio('call', 'floor-x', 'floor', a, b)!
    expect(new Set(ratio.rounds)).toEqual(new Set([2.75, 0.44]))
    expect(ratio.blocks).toEqual(Array.from({length: 6}, () => 1.1))
    expect([ratio.median, ratio.low, ratio.high]).toEqual([1.1, 1.1, 1.1])
    expect(ratio.flags).toEqual([])
  })

  it('take a lone pair as it is and leave out a last pair without its partner', () => {
    expect(blockRatios([1.5])).toEqual([1.5])
    expect(blockRatios([4, 1, 9])).toEqual([2])
    expect(blockRatios([])).toEqual([])
  })
})
