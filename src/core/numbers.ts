/** `value` rounded to `digits` decimals (a figure for reading: 3 for ms to the µs, 1 for ns). */
export function round(value: number, digits: number): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}
