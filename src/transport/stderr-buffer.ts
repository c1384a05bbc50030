// The one way a process's stderr is kept: in bounded memory however much it writes, its start (a crash often
// says what happened first, then dumps a long stack), its end (log.Fatal's message is the last line), and the
// stretch from the first crash line on when that comes after the start (a host that logged a lot, then crashed).

/** How much of a process's stderr is kept at each end, and of the crash stretch. */
export const STDERR_KEEP_CHARS = 4096
const SUMMARY_LINES = 3
/** The line a crash starts with: a Go runtime (then a dump of every goroutine) or V8 ("FATAL ERROR: ...") says what happened first. */
const CRASH_LINE = /^(panic: |fatal error: |runtime: |\[signal |unexpected fault address|SIG[A-Z]+: |FATAL ERROR: )/

/** The last `n` lines of a process's output as one line for an error message. */
export function lastLinesOf(text: unknown, n: number): string {
  return String(text ?? '').trim().split('\n').slice(-n).join(' | ')
}

const nonEmptyLines = (text: string) => text.split('\n').map((line) => line.trim()).filter((line) => line.length > 0)

export class StderrBuffer {
  private head = ''
  private crash?: string
  private rest = ''
  private dropped = false
  private partial = ''
  private headHasCrash?: boolean

  push(chunk: string): void {
    const toHead = chunk.slice(0, Math.max(0, STDERR_KEEP_CHARS - this.head.length))
    this.head += toHead
    const more = chunk.slice(toHead.length)
    if (more.length === 0) return
    const rest = this.rest + more
    if (rest.length > STDERR_KEEP_CHARS) this.dropped = true
    this.rest = rest.slice(-STDERR_KEEP_CHARS)
    this.watchForCrash(more)
  }

  /** The last characters written (up to STDERR_KEEP_CHARS), trimmed. */
  end(): string {
    return (this.head + this.rest).slice(-STDERR_KEEP_CHARS).trim()
  }

  /** The last `n` lines as one line for an error message. */
  lastLines(n: number): string {
    return lastLinesOf(this.end(), n)
  }

  /** All of it when it fit; else the start, a line `…`, and the end. */
  text(): string {
    return `${this.head}${this.dropped ? '\n…\n' : ''}${this.rest}`.trim()
  }

  /** A few lines for an error message: from the crash line when there is one, else the start (and the last line). */
  summary(): string {
    const head = nonEmptyLines(this.head)
    const crashAt = head.findIndex((line) => CRASH_LINE.test(line))
    if (crashAt >= 0) return head.slice(crashAt, crashAt + SUMMARY_LINES).join(' | ')
    if (this.crash !== undefined) return `… ${nonEmptyLines(this.crash).slice(0, SUMMARY_LINES).join(' | ')}`
    const first = head.slice(0, SUMMARY_LINES)
    const last = nonEmptyLines(this.head + this.rest).at(-1)
    return last === undefined || first.includes(last) ? first.join(' | ') : [...first, `… ${last}`].join(' | ')
  }

  // Past the start and no crash line in it yet: watch whole lines for one, across chunks.
  private watchForCrash(more: string): void {
    if (this.crash !== undefined) {
      this.crash = (this.crash + more).slice(0, STDERR_KEEP_CHARS)
      return
    }
    this.headHasCrash ??= this.head.split('\n').some((line) => CRASH_LINE.test(line.trim()))
    if (this.headHasCrash) return
    const lines = (this.partial + more).split('\n')
    this.partial = (lines.pop() ?? '').slice(-STDERR_KEEP_CHARS)
    const at = lines.findIndex((line) => CRASH_LINE.test(line))
    if (at >= 0) this.crash = [...lines.slice(at), this.partial].join('\n').slice(0, STDERR_KEEP_CHARS)
    else if (CRASH_LINE.test(this.partial)) this.crash = this.partial
    if (this.crash !== undefined) this.partial = ''
  }
}
