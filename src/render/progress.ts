// Progress on stderr, so stdout stays clean for the table or JSON. On a terminal one line is redrawn in place;
// elsewhere (CI logs, files) each step is a line of its own.
export class Progress {
  private active = false
  private readonly started = Date.now()

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr, private readonly enabled = true) {}

  update(text: string): void {
    if (!this.enabled) return
    const line = `plugin-survey: ${text} (${((Date.now() - this.started) / 1000).toFixed(0)} s)`
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[2K${line.slice(0, (this.stream.columns ?? 100) - 1)}`)
      this.active = true
    } else this.stream.write(`${line}\n`)
  }

  done(): void {
    if (this.active) this.stream.write('\r\x1b[2K')
    this.active = false
  }
}
