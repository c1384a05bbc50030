// What a process writes on stderr, kept in bounded memory however much it writes: its start (a crash often
// says what happened first, then dumps a long stack), its end (a log.Fatal's message is the last line), and,
// when a `mark` is given, the stretch from the first line matching it, should that come after the start.

/** How much of a process's stderr is kept at each end. */
export const STDERR_KEEP_CHARS = 4096

/** The cut a text shows where the middle of stderr was dropped. */
const CUT = '\n…\n'

export class StderrBuffer {
  private start = ''
  /** What came after the start: its last keepChars characters. */
  private rest = ''
  private dropped = false
  private partial = ''
  private markedFrom?: string
  private startIsMarked?: boolean

  constructor(
    private readonly mark?: RegExp,
    private readonly keepChars = STDERR_KEEP_CHARS,
  ) {}

  push(chunk: string): void {
    const toStart = chunk.slice(0, Math.max(0, this.keepChars - this.start.length))
    this.start += toStart
    const more = chunk.slice(toStart.length)
    if (more.length === 0) return
    const rest = this.rest + more
    if (rest.length > this.keepChars) this.dropped = true
    this.rest = rest.slice(-this.keepChars)
    if (this.mark !== undefined) this.watch(more)
  }

  /** The first characters. */
  head(): string {
    return this.start
  }

  /** The last keepChars characters written. */
  end(): string {
    return (this.start + this.rest).slice(-this.keepChars).trim()
  }

  /** All of it when it fit; else the start, a line `…`, and the end. */
  text(): string {
    return `${this.start}${this.dropped ? CUT : ''}${this.rest}`.trim()
  }

  /** From the first line matching `mark`, when it came after the start (up to keepChars). */
  marked(): string | undefined {
    return this.markedFrom
  }

  // Past the start and no marked line in it: watch whole lines for one, across chunks.
  private watch(more: string): void {
    const mark = this.mark!
    if (this.markedFrom !== undefined) {
      this.markedFrom = (this.markedFrom + more).slice(0, this.keepChars)
      return
    }
    this.startIsMarked ??= this.start.split('\n').some((line) => mark.test(line.trim()))
    if (this.startIsMarked) return
    const lines = (this.partial + more).split('\n')
    this.partial = (lines.pop() ?? '').slice(-this.keepChars)
    const at = lines.findIndex((line) => mark.test(line))
    if (at >= 0) this.markedFrom = [...lines.slice(at), this.partial].join('\n').slice(0, this.keepChars)
    else if (mark.test(this.partial)) this.markedFrom = this.partial
    if (this.markedFrom !== undefined) this.partial = ''
  }
}
