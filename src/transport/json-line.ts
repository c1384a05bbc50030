/** A host's answer on stdout: its last line, when it is a JSON object (anything it printed before is ignored). */
export function lastJsonLine<T>(stdout: unknown): T | undefined {
  const last = String(stdout ?? '').trim().split('\n').pop() ?? ''
  if (!last.startsWith('{')) return undefined
  try {
    return JSON.parse(last) as T
  } catch {
    return undefined
  }
}
