// Length-prefixed frames (4-byte big-endian length, then a UTF-8 JSON body): the lean wire format of child-rpc;
// and newline-terminated lines, the raw format of the unix-socket floor.

export function encodeFrame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8')
  const frame = Buffer.allocUnsafe(4 + body.length)
  frame.writeUInt32BE(body.length, 0)
  body.copy(frame, 4)
  return frame
}

/** Accumulates stream chunks and hands out each complete frame's decoded body. */
export class FrameDecoder {
  private buffered: Buffer = Buffer.alloc(0)

  constructor(private readonly onFrame: (message: unknown) => void) {}

  push(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk])
    while (this.buffered.length >= 4) {
      const length = this.buffered.readUInt32BE(0)
      if (this.buffered.length < 4 + length) return
      const body = this.buffered.subarray(4, 4 + length)
      this.buffered = this.buffered.subarray(4 + length)
      this.onFrame(JSON.parse(body.toString('utf8')))
    }
  }
}

/**
 * A `data` handler that calls `onLine` with each complete newline-terminated line, as many as a chunk holds;
 * its `flush()` hands over a last line that never got its newline (at the stream's end).
 */
export function lineReader(onLine: (line: string) => void): ((chunk: Buffer) => void) & {flush(): void} {
  let buffered = ''
  const read = (chunk: Buffer) => {
    buffered += chunk.toString('utf8')
    let newline: number
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline)
      buffered = buffered.slice(newline + 1)
      onLine(line)
    }
  }
  return Object.assign(read, {
    flush() {
      const rest = buffered
      buffered = ''
      if (rest.length > 0) onLine(rest)
    },
  })
}
