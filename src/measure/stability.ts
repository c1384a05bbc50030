// Paired rounds and what they say: the order a row and its comparand take turns in, the ratio of each pair with
// its interval, and the flags that say when a ratio should not be trusted as it stands.
import type {PairedRatio, RatioFigure, StabilityFlag} from '../report/figures.js'
import {mannWhitney, medianInterval, pairedRatios} from './stats.js'

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

/** The flags of a ratio from its per-pair values; none when it is stable. */
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

/** The ratio of a row's rounds to its comparand's, pair by pair, with its interval and flags. */
export function pairedRatio(figure: RatioFigure, against: string, kind: PairedRatio['kind'], rowRounds: readonly number[], otherRounds: readonly number[]): PairedRatio | undefined {
  const rounds = pairedRatios(rowRounds, otherRounds).map((r) => round(r, 4))
  const interval = medianInterval(rounds)
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
    flags: stabilityFlags(rounds, kind),
  }
}

/** Whether more rounds could settle the ratio: it is flagged. */
export function unsettled(ratio: PairedRatio | undefined): boolean {
  return ratio !== undefined && ratio.flags.length > 0
}

function round(value: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}
