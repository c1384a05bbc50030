// A minimal HTTP/2 connection (RFC 9113) on a socket, either side, for gRPC: streams, flow control both ways,
// SETTINGS, PING, GOAWAY, RST_STREAM, HEADERS + CONTINUATION with HPACK. No push, no priorities.
// node:http2 costs about 100 us per request on this kind of machine (its stream objects, its event hops, its
// garbage), and a plugin ~13 ms of start-up just to import it; a request here is one socket write and a frame
// parser, which is what lets a TypeScript host call a Go plugin about as fast as go-plugin's own Go host does,
// and a TypeScript plugin start about as fast as `node -e 0`.
// The client opens streams (request); the server is told of each new one (onStream) and answers on it
// (respond, write, end with trailers). Whichever side is the server ends the exchange: once it has sent
// END_STREAM the stream is done, and a client that has not finished sending is reset with NO_ERROR.
import type {Duplex} from 'node:stream'
import {HpackDecoder, HpackEncoder, HpackError, type HeaderFields, type HeaderList} from './hpack.js'

/** A header block as bytes (stateless: hpack.ts encodeHeaders), or fields for the connection's encoder to write. */
export type HeaderBlock = Buffer | HeaderFields

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1')
export const FrameType = {DATA: 0, HEADERS: 1, PRIORITY: 2, RST_STREAM: 3, SETTINGS: 4, PUSH_PROMISE: 5, PING: 6, GOAWAY: 7, WINDOW_UPDATE: 8, CONTINUATION: 9} as const
const Flag = {END_STREAM: 0x1, ACK: 0x1, END_HEADERS: 0x4, PADDED: 0x8, PRIORITY: 0x20} as const
const Setting = {HEADER_TABLE_SIZE: 1, ENABLE_PUSH: 2, MAX_CONCURRENT_STREAMS: 3, INITIAL_WINDOW_SIZE: 4, MAX_FRAME_SIZE: 5} as const
/** HTTP/2 error codes (RFC 9113 section 7). */
export const H2Error = {NO_ERROR: 0, PROTOCOL_ERROR: 1, INTERNAL_ERROR: 2, FLOW_CONTROL_ERROR: 3, STREAM_CLOSED: 5, FRAME_SIZE_ERROR: 6, REFUSED_STREAM: 7, CANCEL: 8, COMPRESSION_ERROR: 9} as const

const DEFAULT_WINDOW = 65_535
const DEFAULT_FRAME_SIZE = 16_384
/** The stream and connection windows this side grants: 1 MiB, so a large message needs few WINDOW_UPDATEs. */
const RECEIVE_WINDOW = 1024 * 1024
const MAX_STREAM_ID = 2 ** 31 - 1
const EMPTY = Buffer.alloc(0)
/**
 * How long a PING's ACK may wait to go out with the next request. grpc-go servers send a PING (BDP estimation)
 * after nearly every request's DATA; answering each at once costs a write per call and keeps a new PING coming
 * per call. RFC 9113 asks for a prompt answer (SHOULD), not an immediate one: a few milliseconds is prompt.
 */
const PING_ACK_DELAY_MS = 2

export function frameHeader(length: number, type: number, flags: number, streamId: number): Buffer {
  const head = Buffer.allocUnsafe(9)
  head[0] = (length >>> 16) & 0xff
  head[1] = (length >>> 8) & 0xff
  head[2] = length & 0xff
  head[3] = type
  head[4] = flags
  head.writeUInt32BE(streamId, 5)
  return head
}

const u32 = (value: number) => Buffer.from([(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff])

/**
 * Frames waiting for the socket, taken as one buffer: each frame's 9-byte header is written in place and its
 * payload copied once, so a response (HEADERS, DATA, trailers) costs one allocation and one write.
 */
class FrameQueue {
  // Per frame: its length, type, flags and stream id.
  private heads: number[] = []
  private payloads: Buffer[] = []
  private bytes = 0

  get empty(): boolean {
    return this.payloads.length === 0
  }

  push(type: number, flags: number, streamId: number, payload: Buffer = EMPTY): void {
    this.heads.push(payload.length, type, flags, streamId)
    this.payloads.push(payload)
    this.bytes += 9 + payload.length
  }

  /** A header block as HEADERS and, past `maxFrame`, CONTINUATION frames. */
  pushHeaders(streamId: number, block: Buffer, endStream: boolean, maxFrame: number): void {
    const flags = endStream ? Flag.END_STREAM : 0
    if (block.length <= maxFrame) return this.push(FrameType.HEADERS, flags | Flag.END_HEADERS, streamId, block)
    for (let offset = 0; offset < block.length; offset += maxFrame) {
      const last = offset + maxFrame >= block.length
      const type = offset === 0 ? FrameType.HEADERS : FrameType.CONTINUATION
      this.push(type, (offset === 0 ? flags : 0) | (last ? Flag.END_HEADERS : 0), streamId, block.subarray(offset, offset + maxFrame))
    }
  }

  /** Everything queued, after what `ahead` holds, as one buffer; both queues are left empty. */
  take(ahead?: FrameQueue): Buffer {
    const out = Buffer.allocUnsafe(this.bytes + (ahead?.bytes ?? 0))
    this.writeInto(out, ahead ? ahead.writeInto(out, 0) : 0)
    return out
  }

  clear(): void {
    this.heads = []
    this.payloads = []
    this.bytes = 0
  }

  private writeInto(out: Buffer, start: number): number {
    const heads = this.heads
    let offset = start
    for (let i = 0; i < this.payloads.length; i++) {
      const length = heads[4 * i]
      const streamId = heads[4 * i + 3]
      out[offset] = (length >>> 16) & 0xff
      out[offset + 1] = (length >>> 8) & 0xff
      out[offset + 2] = length & 0xff
      out[offset + 3] = heads[4 * i + 1]
      out[offset + 4] = heads[4 * i + 2]
      out[offset + 5] = (streamId >>> 24) & 0xff
      out[offset + 6] = (streamId >>> 16) & 0xff
      out[offset + 7] = (streamId >>> 8) & 0xff
      out[offset + 8] = streamId & 0xff
      if (length > 0) this.payloads[i].copy(out, offset + 9)
      offset += 9 + length
    }
    this.clear()
    return offset
  }
}

/** What a stream's owner is told. Exactly one of `onHeaders(..., true)`, `onData(..., true)` or `onClose` ends it. */
export interface StreamHandlers {
  onHeaders(headers: HeaderList, endStream: boolean): void
  onData(data: Buffer, endStream: boolean): void
  /** The stream ended without the peer's END_STREAM: reset by the peer (its code), or the connection was lost. */
  onClose(reason: {rstCode?: number; error?: Error}): void
}

const IGNORE: StreamHandlers = {onHeaders() {}, onData() {}, onClose() {}}

export class H2Stream {
  sendWindow: number
  private pending: Buffer[] = []
  private endQueued = false
  private trailers?: HeaderBlock
  localEnded = false
  remoteEnded = false
  receivedSinceUpdate = 0

  constructor(
    readonly id: number,
    /** A server's new stream hears nothing until its owner sets these. */
    public handlers: StreamHandlers,
    private readonly connection: H2Connection,
    initialWindow: number,
  ) {
    this.sendWindow = initialWindow
  }

  /**
   * Queues data (sent as flow control allows); `end` sends END_STREAM after it, on a HEADERS frame of
   * `trailers` when given (encoded when it goes out, after the data).
   */
  write(data: Buffer, end = false, trailers?: HeaderBlock): void {
    if (this.localEnded || this.endQueued) return
    if (data.length > 0) this.pending.push(data)
    if (end) {
      this.endQueued = true
      this.trailers = trailers
    }
    this.connection.flushStream(this)
  }

  end(trailers?: HeaderBlock): void {
    this.write(EMPTY, true, trailers)
  }

  /** Sends a header block now (a server's response headers; with `endStream`, a trailers-only response). */
  respond(headerBlock: HeaderBlock, endStream = false): void {
    this.connection.sendHeaders(this, headerBlock, endStream)
  }

  /** RST_STREAM with `code` (CANCEL by default); the handlers hear nothing more. */
  cancel(code: number = H2Error.CANCEL): void {
    this.connection.reset(this, code)
  }

  /** Queues the DATA frames that fit the windows now (then END_STREAM, when queued); returns the connection window used. */
  takeSendable(out: FrameQueue, connectionWindow: number, maxFrame: number): number {
    let used = 0
    while (this.pending.length > 0) {
      const room = Math.min(this.sendWindow, connectionWindow - used, maxFrame)
      if (room <= 0) break
      const chunk = this.pending[0]
      const part = chunk.length <= room ? chunk : chunk.subarray(0, room)
      if (part.length === chunk.length) this.pending.shift()
      else this.pending[0] = chunk.subarray(room)
      this.sendWindow -= part.length
      used += part.length
      const last = this.pending.length === 0 && this.endQueued && this.trailers === undefined
      out.push(FrameType.DATA, last ? Flag.END_STREAM : 0, this.id, part)
      if (last) this.localEnded = true
    }
    if (this.pending.length === 0 && this.endQueued && !this.localEnded) {
      if (this.trailers === undefined) out.push(FrameType.DATA, Flag.END_STREAM, this.id)
      else out.pushHeaders(this.id, this.connection.encode(this.trailers), true, maxFrame)
      this.localEnded = true
    }
    return used
  }

  get hasPending(): boolean {
    return this.pending.length > 0 || (this.endQueued && !this.localEnded)
  }

  dropPending(): void {
    this.pending = []
    this.endQueued = false
    this.trailers = undefined
  }
}

/** A connection-level failure: a protocol error of the peer, a lost socket, or GOAWAY. */
export class H2ConnectionError extends Error {
  constructor(
    message: string,
    readonly code: number = H2Error.PROTOCOL_ERROR,
  ) {
    super(message)
    this.name = 'H2ConnectionError'
  }
}

/** A server connection's new streams: the request's header block, decoded; `endStream` when it carries no body. */
export type StreamListener = (stream: H2Stream, headers: HeaderList, endStream: boolean) => void

export class H2Connection {
  private readonly streams = new Map<number, H2Stream>()
  /** The highest stream id the client opened (server side): GOAWAY names it, and new ids must be above it. */
  private lastPeerStream = 0
  private awaitingPreface: boolean
  private nextStreamId = 1
  private readonly decoder = new HpackDecoder()
  private readonly encoder = new HpackEncoder()
  private buffer: Buffer = EMPTY
  private connectionSendWindow = DEFAULT_WINDOW
  private peerInitialWindow = DEFAULT_WINDOW
  private peerMaxFrame = DEFAULT_FRAME_SIZE
  private peerMaxStreams = Number.POSITIVE_INFINITY
  private connectionReceived = 0
  private readonly waiting: Array<() => void> = []
  private headerBlock?: {streamId: number; endStream: boolean; parts: Buffer[]}
  private readonly out = new FrameQueue()
  private inFrames = false
  private goneAway = false
  private ended = false
  private readonly pingAcks = new FrameQueue()
  private pingTimer?: NodeJS.Timeout
  private closedError?: Error
  private readonly closeListeners: Array<(error?: Error) => void> = []

  /** A client connection; with `onStream`, the server side of one, which waits for the client's preface. */
  constructor(
    private readonly socket: Duplex,
    private readonly onStream?: StreamListener,
  ) {
    this.awaitingPreface = onStream !== undefined
    const settings = Buffer.alloc(18)
    settings.writeUInt16BE(Setting.INITIAL_WINDOW_SIZE, 0)
    settings.writeUInt32BE(RECEIVE_WINDOW, 2)
    settings.writeUInt16BE(Setting.HEADER_TABLE_SIZE, 6)
    settings.writeUInt32BE(4096, 8)
    // Only a client says it takes no push (RFC 9113 section 6.5.2).
    settings.writeUInt16BE(Setting.ENABLE_PUSH, 12)
    settings.writeUInt32BE(0, 14)
    const own = onStream ? settings.subarray(0, 12) : settings
    // The server's preface is its SETTINGS, sent at once; the client's is the magic string, then its SETTINGS.
    socket.write(
      Buffer.concat([
        ...(onStream ? [] : [PREFACE]),
        frameHeader(own.length, FrameType.SETTINGS, 0, 0),
        own,
        frameHeader(4, FrameType.WINDOW_UPDATE, 0, 0),
        u32(RECEIVE_WINDOW - DEFAULT_WINDOW),
      ]),
    )
    socket.on('data', (chunk: Buffer) => this.receive(chunk))
    socket.on('error', (error: Error) => this.fail(new H2ConnectionError(`the connection failed: ${error.message}`, H2Error.INTERNAL_ERROR)))
    socket.on('close', () => this.fail(new H2ConnectionError('the connection closed')))
  }

  /** Whether new streams can be opened (not closed, no GOAWAY). */
  get usable(): boolean {
    return this.closedError === undefined && !this.goneAway
  }

  get error(): Error | undefined {
    return this.closedError
  }

  onClose(listener: (error?: Error) => void): void {
    if (this.closedError) listener(this.closedError)
    else this.closeListeners.push(listener)
  }

  stream(id: number): H2Stream | undefined {
    return this.streams.get(id)
  }

  /**
   * Opens a stream with a header block (fields are encoded when the stream opens, which may wait for the peer's
   * stream limit) and, optionally, its first data; the HEADERS and DATA frames go out in one write. Throws
   * H2ConnectionError when the connection cannot take it.
   */
  request(headerBlock: HeaderBlock, handlers: StreamHandlers, data?: Buffer, endStream = false): H2Stream {
    if (this.onStream) throw new Error('a server connection does not open streams')
    if (this.closedError) throw this.closedError
    if (this.goneAway) throw new H2ConnectionError('the server is going away (GOAWAY): open a new connection', H2Error.REFUSED_STREAM)
    if (this.nextStreamId > MAX_STREAM_ID) throw new H2ConnectionError('stream ids exhausted: open a new connection', H2Error.REFUSED_STREAM)
    const stream = new H2Stream(this.nextStreamId, handlers, this, this.peerInitialWindow)
    this.nextStreamId += 2
    const open = () => {
      this.streams.set(stream.id, stream)
      this.out.pushHeaders(stream.id, this.encode(headerBlock), endStream && (data === undefined || data.length === 0), this.peerMaxFrame)
      if (endStream && (data === undefined || data.length === 0)) stream.localEnded = true
      else if (data !== undefined) stream.write(data, endStream)
      this.flush()
    }
    if (this.streams.size < this.peerMaxStreams) open()
    else this.waiting.push(open)
    return stream
  }

  /** GOAWAY, then the socket is ended once open streams finish (at once when there are none). */
  close(): void {
    if (this.closedError) return
    this.goneAway = true
    // The last stream this side will process (a client opens none of the server's: 0), and NO_ERROR.
    const payload = Buffer.alloc(8)
    payload.writeUInt32BE(this.lastPeerStream, 0)
    this.out.push(FrameType.GOAWAY, 0, 0, payload)
    this.flush()
    this.streamGone()
  }

  destroy(error: Error = new H2ConnectionError('the connection was closed by this side', H2Error.CANCEL)): void {
    this.fail(error)
    this.socket.destroy()
  }

  reset(stream: H2Stream, code: number): void {
    if (this.streams.get(stream.id) !== stream) return
    this.streams.delete(stream.id)
    stream.dropPending()
    if (!this.closedError) {
      this.out.push(FrameType.RST_STREAM, 0, stream.id, u32(code))
      this.flush()
    }
    this.streamGone()
  }

  flushStream(stream: H2Stream): void {
    if (this.streams.get(stream.id) !== stream || this.closedError) return
    const wasEnded = stream.localEnded
    this.connectionSendWindow -= stream.takeSendable(this.out, this.connectionSendWindow, this.peerMaxFrame)
    if (stream.localEnded && !wasEnded) this.localEnd(stream)
    if (!this.out.empty) this.flush()
  }

  sendHeaders(stream: H2Stream, block: HeaderBlock, endStream: boolean): void {
    if (this.streams.get(stream.id) !== stream || this.closedError || stream.localEnded) return
    this.out.pushHeaders(stream.id, this.encode(block), endStream, this.peerMaxFrame)
    if (endStream) {
      stream.dropPending()
      stream.localEnded = true
      this.localEnd(stream)
    }
    this.flush()
  }

  /** A header block's bytes: fields through the connection's encoder, in the order blocks are queued to go out. */
  encode(block: HeaderBlock): Buffer {
    return Buffer.isBuffer(block) ? block : this.encoder.encode(block)
  }

  // While frames are being read, replies (acks, window updates) wait for the end of the chunk: one write.
  // After GOAWAY, the socket is ended once the last stream is done and what is queued has gone out.
  private flush(): void {
    if (this.inFrames || this.closedError || this.ended) return
    if (!this.out.empty) {
      // PING ACKs waiting for a write go out ahead of it.
      if (!this.pingAcks.empty) {
        clearTimeout(this.pingTimer)
        this.pingTimer = undefined
      }
      this.socket.write(this.out.take(this.pingAcks))
    }
    if (this.goneAway && this.streams.size === 0) {
      this.ended = true
      clearTimeout(this.pingTimer)
      this.socket.end()
    }
  }

  private ackPing(payload: Buffer): void {
    this.pingAcks.push(FrameType.PING, Flag.ACK, 0, Buffer.from(payload))
    this.pingTimer ??= setTimeout(() => {
      this.pingTimer = undefined
      if (this.pingAcks.empty || this.closedError || this.ended) return
      this.socket.write(this.pingAcks.take())
    }, PING_ACK_DELAY_MS)
  }

  // The server's END_STREAM ends the exchange; a client's waits for the response.
  private localEnd(stream: H2Stream): void {
    if (!this.onStream) return
    this.streams.delete(stream.id)
    if (!stream.remoteEnded) this.out.push(FrameType.RST_STREAM, 0, stream.id, u32(H2Error.NO_ERROR))
    this.streamGone()
  }

  private streamGone(): void {
    while (this.waiting.length > 0 && this.streams.size < this.peerMaxStreams) this.waiting.shift()!()
    if (this.goneAway && this.streams.size === 0) this.flush()
  }

  private fail(error: Error): void {
    if (this.closedError) return
    this.closedError = error
    this.out.clear()
    clearTimeout(this.pingTimer)
    this.pingAcks.clear()
    const streams = [...this.streams.values()]
    this.streams.clear()
    this.waiting.length = 0
    for (const stream of streams) stream.handlers.onClose({error})
    for (const listener of this.closeListeners.splice(0)) listener(error)
  }

  /** A protocol error of the peer: GOAWAY with the code, then the connection is gone. */
  private protocolError(message: string, code: number = H2Error.PROTOCOL_ERROR): void {
    const error = new H2ConnectionError(`HTTP/2 protocol error from the ${this.onStream ? 'client' : 'server'}: ${message}`, code)
    const debug = Buffer.from(message.slice(0, 200), 'utf8')
    this.socket.write(Buffer.concat([frameHeader(8 + debug.length, FrameType.GOAWAY, 0, 0), Buffer.from([0, 0, 0, 0, 0, 0, 0, code]), debug]))
    this.fail(error)
    this.socket.destroy()
  }

  private receive(chunk: Buffer): void {
    if (this.closedError) return
    const buffer = this.buffer.length > 0 ? Buffer.concat([this.buffer, chunk]) : chunk
    this.inFrames = true
    try {
      let offset = 0
      if (this.awaitingPreface) {
        const seen = Math.min(buffer.length, PREFACE.length)
        if (!buffer.subarray(0, seen).equals(PREFACE.subarray(0, seen))) return this.protocolError('the connection did not start with the HTTP/2 preface')
        if (buffer.length < PREFACE.length) {
          this.buffer = buffer
          return
        }
        this.awaitingPreface = false
        offset = PREFACE.length
      }
      while (buffer.length - offset >= 9) {
        const length = (buffer[offset] << 16) | (buffer[offset + 1] << 8) | buffer[offset + 2]
        // This side never raises SETTINGS_MAX_FRAME_SIZE above the default.
        if (length > DEFAULT_FRAME_SIZE) return this.protocolError(`a frame of ${length} bytes, above the ${DEFAULT_FRAME_SIZE} allowed`, H2Error.FRAME_SIZE_ERROR)
        if (buffer.length - offset < 9 + length) break
        const type = buffer[offset + 3]
        const flags = buffer[offset + 4]
        const streamId = buffer.readUInt32BE(offset + 5) & 0x7fffffff
        const payload = buffer.subarray(offset + 9, offset + 9 + length)
        offset += 9 + length
        this.onFrame(type, flags, streamId, payload)
        if (this.closedError) return
      }
      this.buffer = offset === buffer.length ? EMPTY : buffer.subarray(offset)
    } catch (error) {
      if (error instanceof HpackError) return this.protocolError(error.message, H2Error.COMPRESSION_ERROR)
      throw error
    } finally {
      this.inFrames = false
      this.flush()
    }
  }

  private onFrame(type: number, flags: number, streamId: number, payload: Buffer): void {
    if (this.headerBlock && type !== FrameType.CONTINUATION) return this.protocolError('a header block was interrupted by another frame')
    switch (type) {
      case FrameType.DATA:
        return this.onData(flags, streamId, payload)
      case FrameType.HEADERS: {
        if (streamId === 0) return this.protocolError('HEADERS on stream 0')
        let start = 0
        let end = payload.length
        if (flags & Flag.PADDED) {
          if (payload.length < 1) return this.protocolError('a padded HEADERS frame without its pad length')
          start = 1
          end -= payload[0]
        }
        if (flags & Flag.PRIORITY) start += 5
        if (start > end) return this.protocolError('HEADERS padding longer than the frame')
        const block = start === 0 && end === payload.length ? payload : payload.subarray(start, end)
        const endStream = (flags & Flag.END_STREAM) !== 0
        // A block whole in its HEADERS frame, as nearly every one is, is decoded as it is.
        if (flags & Flag.END_HEADERS) return this.endHeaders(streamId, endStream, block)
        this.headerBlock = {streamId, endStream, parts: [block]}
        return
      }
      case FrameType.CONTINUATION: {
        const pending = this.headerBlock
        if (!pending || pending.streamId !== streamId) return this.protocolError('CONTINUATION without a header block to continue')
        pending.parts.push(payload)
        if (flags & Flag.END_HEADERS) {
          this.headerBlock = undefined
          this.endHeaders(streamId, pending.endStream, Buffer.concat(pending.parts))
        }
        return
      }
      case FrameType.RST_STREAM: {
        if (payload.length !== 4) return this.protocolError('RST_STREAM of the wrong size', H2Error.FRAME_SIZE_ERROR)
        const stream = this.streams.get(streamId)
        if (stream === undefined) return
        this.streams.delete(streamId)
        stream.dropPending()
        stream.handlers.onClose({rstCode: payload.readUInt32BE(0)})
        this.streamGone()
        return
      }
      case FrameType.SETTINGS:
        if (flags & Flag.ACK) return
        if (payload.length % 6 !== 0) return this.protocolError('SETTINGS of the wrong size', H2Error.FRAME_SIZE_ERROR)
        for (let i = 0; i < payload.length; i += 6) this.applySetting(payload.readUInt16BE(i), payload.readUInt32BE(i + 2))
        this.out.push(FrameType.SETTINGS, Flag.ACK, 0)
        for (const stream of this.streams.values()) if (stream.hasPending) this.flushStream(stream)
        return
      case FrameType.PING:
        if (payload.length !== 8) return this.protocolError('PING of the wrong size', H2Error.FRAME_SIZE_ERROR)
        if (!(flags & Flag.ACK)) this.ackPing(payload)
        return
      case FrameType.GOAWAY: {
        const lastStreamId = payload.readUInt32BE(0) & 0x7fffffff
        const code = payload.readUInt32BE(4)
        this.goneAway = true
        // Streams above the last one the server saw were never processed: they fail, and may be retried.
        for (const [id, stream] of this.streams) {
          if (id <= lastStreamId || this.onStream) continue
          this.streams.delete(id)
          stream.handlers.onClose({error: new H2ConnectionError(`the server went away (GOAWAY code ${code}) before processing the stream`, H2Error.REFUSED_STREAM)})
        }
        this.streamGone()
        return
      }
      case FrameType.WINDOW_UPDATE: {
        if (payload.length !== 4) return this.protocolError('WINDOW_UPDATE of the wrong size', H2Error.FRAME_SIZE_ERROR)
        const increment = payload.readUInt32BE(0) & 0x7fffffff
        if (streamId === 0) {
          this.connectionSendWindow += increment
          if (this.connectionSendWindow > MAX_STREAM_ID) return this.protocolError('the connection window overflowed', H2Error.FLOW_CONTROL_ERROR)
          for (const stream of this.streams.values()) if (stream.hasPending) this.flushStream(stream)
        } else {
          const stream = this.streams.get(streamId)
          if (stream === undefined) return
          stream.sendWindow += increment
          this.flushStream(stream)
        }
        return
      }
      case FrameType.PUSH_PROMISE:
        return this.protocolError('PUSH_PROMISE, though push is disabled')
      default:
      // PRIORITY and unknown frame types are ignored (RFC 9113 section 4.1).
    }
  }

  private applySetting(id: number, value: number): void {
    if (id === Setting.INITIAL_WINDOW_SIZE) {
      if (value > MAX_STREAM_ID) return this.protocolError(`SETTINGS_INITIAL_WINDOW_SIZE ${value} is above 2^31-1`, H2Error.FLOW_CONTROL_ERROR)
      const delta = value - this.peerInitialWindow
      this.peerInitialWindow = value
      for (const stream of this.streams.values()) stream.sendWindow += delta
    } else if (id === Setting.MAX_FRAME_SIZE) {
      if (value < DEFAULT_FRAME_SIZE || value > 16_777_215) return this.protocolError(`SETTINGS_MAX_FRAME_SIZE ${value} is out of range`)
      this.peerMaxFrame = value
    } else if (id === Setting.MAX_CONCURRENT_STREAMS) {
      this.peerMaxStreams = value
    } else if (id === Setting.HEADER_TABLE_SIZE) {
      // The peer's decoder keeps a smaller table (or none): the encoder shrinks its copy, and says so.
      this.encoder.setMaxTableSize(value)
    }
  }

  private endHeaders(streamId: number, endStream: boolean, block: Buffer): void {
    // Decoded even for a stream that is gone: the table state is the connection's.
    const headers = this.decoder.decode(block)
    const stream = this.streams.get(streamId)
    if (stream === undefined) return this.onStream && this.newStream(streamId, headers, endStream)
    if (endStream) this.remoteEnd(stream)
    stream.handlers.onHeaders(headers, endStream)
  }

  // A client's request opens a stream: its id is odd and above every earlier one (RFC 9113 section 5.1.1).
  private newStream(id: number, headers: HeaderList, endStream: boolean): void {
    if (id % 2 === 0 || id <= this.lastPeerStream) return this.protocolError(`HEADERS on stream ${id}, which is not a new client stream`, id <= this.lastPeerStream ? H2Error.STREAM_CLOSED : H2Error.PROTOCOL_ERROR)
    this.lastPeerStream = id
    if (this.goneAway) {
      this.out.push(FrameType.RST_STREAM, 0, id, u32(H2Error.REFUSED_STREAM))
      return
    }
    const stream = new H2Stream(id, IGNORE, this, this.peerInitialWindow)
    this.streams.set(id, stream)
    if (endStream) stream.remoteEnded = true
    this.onStream!(stream, headers, endStream)
  }

  private onData(flags: number, streamId: number, payload: Buffer): void {
    if (streamId === 0) return this.protocolError('DATA on stream 0')
    // Flow control counts the whole payload, padding included.
    this.connectionReceived += payload.length
    if (this.connectionReceived >= RECEIVE_WINDOW / 2) {
      this.out.push(FrameType.WINDOW_UPDATE, 0, 0, u32(this.connectionReceived))
      this.connectionReceived = 0
    }
    let data = payload
    if (flags & Flag.PADDED) {
      if (payload.length < 1 || payload[0] >= payload.length) return this.protocolError('DATA padding longer than the frame')
      data = payload.subarray(1, payload.length - payload[0])
    }
    const stream = this.streams.get(streamId)
    if (stream === undefined) return
    const endStream = (flags & Flag.END_STREAM) !== 0
    if (endStream) this.remoteEnd(stream)
    else {
      stream.receivedSinceUpdate += payload.length
      if (stream.receivedSinceUpdate >= RECEIVE_WINDOW / 2) {
        this.out.push(FrameType.WINDOW_UPDATE, 0, streamId, u32(stream.receivedSinceUpdate))
        stream.receivedSinceUpdate = 0
      }
    }
    stream.handlers.onData(data, endStream)
  }

  // The server finished the stream: it is closed once this side has ended too, or is reset when it has not.
  private remoteEnd(stream: H2Stream): void {
    stream.remoteEnded = true
    if (this.onStream) return
    this.streams.delete(stream.id)
    if (!stream.localEnded) {
      stream.dropPending()
      this.out.push(FrameType.RST_STREAM, 0, stream.id, u32(H2Error.NO_ERROR))
    }
    this.streamGone()
  }
}

