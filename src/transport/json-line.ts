/** The last line a host printed on stdout, when it is a JSON object: how a one-shot host gives its result. */
export function lastJsonLine(stdout: unknown): string | undefined {
  const last = String(stdout ?? '').trim().split('\n').pop() ?? ''
  return last.startsWith('{') ? last : undefined
}
