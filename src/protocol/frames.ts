// gRPC's length-prefixed messages on an HTTP/2 stream: a flag byte (1 = compressed), a 4-byte big-endian
// length, then the message. Shared by the lean client and server.

export function frame(message: Buffer): Buffer {
  const framed = Buffer.allocUnsafe(5 + message.length)
  framed[0] = 0
  framed.writeUInt32BE(message.length, 1)
  message.copy(framed, 5)
  return framed
}

/**
 * The message a chunk holds whole, when it holds exactly one uncompressed message within `maxLength` (as a unary
 * call's DATA frame does), to read without a MessageReader; anything else (a part, two, a compressed or too large
 * one) is undefined, for a MessageReader to take.
 */
export function wholeMessage(chunk: Buffer, maxLength: number): Buffer | undefined {
  if (chunk.length < 5 || chunk[0] !== 0) return undefined
  const length = chunk.readUInt32BE(1)
  return length === chunk.length - 5 && length <= maxLength ? chunk.subarray(5) : undefined
}

/** A too-large message's status details, in grpc-go's words (client and server alike). */
const tooLargeDetails = (length: number, maxLength: number) => `received message larger than max (${length} vs. ${maxLength})`

/** gRPC's RESOURCE_EXHAUSTED: a message above the receive limit, on either side (grpc-go). */
const RESOURCE_EXHAUSTED = 8

/**
 * A MessageReader whose problem ends the call with a gRPC status: a message above `maxLength` with
 * RESOURCE_EXHAUSTED (either side), a compressed one with `compressed` (the client and the server answer it
 * differently, as grpc-go does).
 */
export function callReader(
  onMessage: (message: Buffer) => void,
  onStatus: (status: {code: number; details: string}) => void,
  maxLength: number,
  compressed: {code: number; details: string},
): MessageReader {
  return new MessageReader(
    onMessage,
    (problem) => onStatus(problem.kind === 'too-large' ? {code: RESOURCE_EXHAUSTED, details: tooLargeDetails(problem.length, maxLength)} : compressed),
    maxLength,
  )
}

export type FrameProblem = {kind: 'too-large'; length: number} | {kind: 'compressed'}

/**
 * Splits a stream's chunks into messages. Chunks are kept as they come and joined once per message, so a
 * large message costs one copy, not one per chunk.
 */
export class MessageReader {
  private chunks: Buffer[] = []
  private size = 0
  private stopped = false

  constructor(
    private readonly onMessage: (message: Buffer) => void,
    private readonly onProblem: (problem: FrameProblem) => void = () => {},
    private readonly maxLength = Number.MAX_SAFE_INTEGER,
  ) {}

  push(chunk: Buffer): void {
    if (this.stopped) return
    this.chunks.push(chunk)
    this.size += chunk.length
    while (this.size >= 5) {
      const head = this.chunks[0].length >= 5 ? this.chunks[0] : this.join()
      const length = head.readUInt32BE(1)
      if (length > this.maxLength) return this.stop({kind: 'too-large', length})
      if (head[0] !== 0) return this.stop({kind: 'compressed'})
      if (this.size < 5 + length) return
      const all = this.join()
      this.onMessage(all.subarray(5, 5 + length))
      const rest = all.subarray(5 + length)
      this.chunks = rest.length > 0 ? [rest] : []
      this.size = rest.length
    }
  }

  private join(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.size)]
    return this.chunks[0]
  }

  private stop(problem: FrameProblem): void {
    this.chunks = []
    this.size = 0
    this.stopped = true
    this.onProblem(problem)
  }
}
