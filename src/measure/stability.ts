// Paired rounds and what they say: the order a row and its comparand take turns in, the ratio of each pair with
// its interval, and the flags that say when a ratio should not be trusted as it stands.
import type {PairedRatio, RatioFigure, StabilityFlag} from '../results/figures.js'
import {mannWhitney, medianInterval, pairedRatios, round} from './stats.js'

/** Which side goes first in pair k: A B, B A, A B, ... so a drift in the machine's state weighs on both alike (A B B A A B). */
export function pairOrder(pair: number): ['a', 'b'] | ['b', 'a'] {
  return pair % 2 === 0 ? ['a', 'b'] : ['b', 'a']
}

/** An interval wider than this factor (high / low) is too wide to read one figure from. */
export const MAX_WIDTH_FACTOR = 1.3
/** The two halves of the rounds differ below this p-value (Mann-Whitney): the machine changed during the run. */
export const DISAGREE_P = 0.01
/** No mechanism is faster than the transport it runs on: a ratio below this is a measurement to question. */
export const BELOW_FLOOR = 0.9

/** The flags of a ratio from its values (blocks of two pairs); none when it is stable. */
export function stabilityFlags(rounds: readonly number[], kind: PairedRatio['kind']): StabilityFlag[] {
  const interval = medianInterval(rounds)
  if (!interval) return []
  const flags: StabilityFlag[] = []
  const widthFactor = interval.high / interval.low
  if (rounds.length > 1 && widthFactor > MAX_WIDTH_FACTOR) flags.push({code: 'wide-interval', widthFactor: round(widthFactor, 2)})
  const half = Math.floor(rounds.length / 2)
  if (half >= 4) {
    const first = rounds.slice(0, half)
    const second = rounds.slice(rounds.length - half)
    const test = mannWhitney(first, second)
    if (test && test.p < DISAGREE_P) {
      flags.push({code: 'rounds-disagree', firstHalf: round(medianInterval(first)!.median, 3), secondHalf: round(medianInterval(second)!.median, 3), p: round(test.p, 4)})
    }
  }
  if (kind === 'floor' && interval.median < BELOW_FLOOR) flags.push({code: 'below-floor', median: round(interval.median, 3)})
  return flags
}

/**
 * One ratio per block of two pairs (A B then B A): the geometric mean of the two pairs' ratios. In a block each side
 * takes one first and one second place, so an effect of the place in the sequence cancels out: on a 2-core VM the
 * rounds can alternate between a fast and a slow state by their place in time (a worker-thread run gave pairs of
 * 2.8x and 0.5x in turn for one true 1.1x). A last pair without its partner is left out; a lone pair stands alone.
 */
export function blockRatios(pairs: readonly number[]): number[] {
  if (pairs.length === 1) return [...pairs]
  const blocks: number[] = []
  for (let i = 0; i + 1 < pairs.length; i += 2) blocks.push(Math.sqrt(pairs[i]! * pairs[i + 1]!))
  return blocks
}

/** The ratio of a row's rounds to its comparand's, pair by pair, its median, interval and flags from the blocks of two pairs. */
export function pairedRatio(figure: RatioFigure, against: string, kind: PairedRatio['kind'], rowRounds: readonly number[], otherRounds: readonly number[]): PairedRatio | undefined {
  const rounds = pairedRatios(rowRounds, otherRounds).map((r) => round(r, 4))
  const blocks = blockRatios(rounds).map((r) => round(r, 4))
  const interval = medianInterval(blocks)
  if (!interval) return undefined
  return {
    figure,
    against,
    kind,
    median: round(interval.median, 3),
    low: round(interval.low, 3),
    high: round(interval.high, 3),
    confidence: round(interval.confidence, 4),
    rounds,
    blocks,
    flags: stabilityFlags(blocks, kind),
  }
}

/** Whether more rounds could settle the ratio: it is flagged. */
export function unsettled(ratio: PairedRatio | undefined): boolean {
  return ratio !== undefined && ratio.flags.length > 0
}

export interface PairingPlan {
  /** Pairs to take, unless `deadline` passes first. */
  planned: number
  /** A time (as `now()` gives it) after which no pair starts once `minimum` pairs are taken. */
  deadline?: number
  minimum?: number
  /** Time for extra pairs, two at a time, while the ratio is flagged; what is spent is taken off. */
  extra: {ms: number}
  /** Whether the pairs so far call for more (their ratio is flagged). */
  unsettled(a: readonly number[], b: readonly number[]): boolean
  now?: () => number
}

/**
 * Samples of `a` and `b` in pairs, in alternating order (A B, B A, ...), until the plan is done. A side `b` that
 * fails stops being sampled (`onBFailed` says why) and `a` goes on alone; a failure of `a` ends it all.
 */
export async function samplePairs(
  plan: PairingPlan,
  a: () => Promise<number>,
  b: (() => Promise<number>) | undefined,
  onBFailed: (error: unknown) => void = () => {},
): Promise<{a: number[]; b: number[]; paired: boolean}> {
  const now = plan.now ?? Date.now
  const aValues: number[] = []
  const bValues: number[] = []
  let other = b
  let extraStarted: number | undefined
  for (let pair = 0; ; pair++) {
    if (plan.deadline !== undefined && pair >= (plan.minimum ?? 1) && now() >= plan.deadline) break
    if (pair >= plan.planned) {
      if (!other) break
      extraStarted ??= now()
      // Extra pairs come two at a time, so the order stays balanced (A B B A).
      const decides = (pair - plan.planned) % 2 === 0
      if (decides && (now() - extraStarted >= plan.extra.ms || !plan.unsettled(aValues, bValues))) break
    }
    for (const side of other ? pairOrder(pair) : (['a'] as const)) {
      if (side === 'a') aValues.push(await a())
      else {
        try {
          bValues.push(await other!())
        } catch (error) {
          other = undefined
          onBFailed(error)
        }
      }
    }
  }
  if (extraStarted !== undefined) plan.extra.ms = Math.max(0, plan.extra.ms - (now() - extraStarted))
  return {a: aValues, b: bValues, paired: other !== undefined && bValues.length > 0}
}
