/** `value` rounded to `digits` decimals: the one rounding of every figure a report keeps. */
export function round(value: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}
