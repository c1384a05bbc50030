// A lean gRPC server for plugins, on this project's own HTTP/2 (h2-connection.ts) over node:net or node:tls:
// the services of a grpc-js ServiceDefinition with handlers in grpc-js's shape (unary: call.request +
// callback; streams: call.write/end and 'data'/'end' events). grpc-js's server costs a plugin ~25 ms of start
// and a few hundred microseconds per call, and node:http2 alone ~13 ms of start; this is little more than the
// socket. Not supported: compression (a client must not compress, as none do by default).
import {EventEmitter} from 'node:events'
import net from 'node:net'
import type {Duplex} from 'node:stream'
import type {MethodDefinition, ServiceDefinition} from '@grpc/grpc-js'
import {callReader, frame, type MessageReader, wholeMessage} from './frames.js'
import {H2Connection, type H2Stream, type StreamHandlers} from './h2-connection.js'
import {encodeHeaders, header, type HeaderFields, type HeaderList} from './hpack.js'

/** A request's headers by lower-case name; a name sent twice has its values joined with ", ". */
export type RequestHeaders = Record<string, string>

/** gRPC status codes this server sends. */
export const Status = {OK: 0, CANCELLED: 1, UNKNOWN: 2, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, RESOURCE_EXHAUSTED: 8, UNIMPLEMENTED: 12, INTERNAL: 13} as const

/** What a handler may fail a call with: a status code and its details (an Error becomes UNKNOWN). */
export interface CallFailure {
  code?: number
  details?: string
  message?: string
}

/** A call as its handler sees it. Unary and server-streaming calls have `request`; streams emit 'data' and 'end'. */
export interface ServerCall<Req = unknown, Res = unknown> extends EventEmitter {
  request: Req
  metadata: RequestHeaders
  cancelled: boolean
  write(message: Res): boolean
  end(): void
}

export type UnaryCallback<Res> = (error: CallFailure | null, value?: Res) => void
export type Handler = (call: ServerCall<any, any>, callback: UnaryCallback<any>) => void | Promise<unknown>

export interface TlsOptions {
  key: string
  cert: string
  /** Client certificates are required and must chain to this. */
  ca: string
}

const DEFAULT_MAX_RECEIVE = 4 * 1024 * 1024
// HTTP/2's default 64 KiB flow-control windows cost a 1 MiB message a dozen WINDOW_UPDATE round trips each way;
// 1 MiB windows (stream and connection) take most of them away. grpc-go grows its windows the same way (BDP).
// (h2-connection.ts grants them on every connection.)

// grpc-message is percent-encoded (gRPC over HTTP/2, "Responses").
const encodeMessage = (text: string) => encodeURIComponent(text)

const RESPONSE_HEADERS: HeaderList = [
  [':status', '200'],
  ['content-type', 'application/grpc'],
]
// In the client's table after the first answer: a byte each from then on. A status with a message stays literal.
const RESPONSE_FIELDS: HeaderFields = {indexed: RESPONSE_HEADERS}
const OK_TRAILERS: HeaderFields = {indexed: [['grpc-status', '0']]}
const NOTHING_INDEXED: HeaderList = []
const statusFields = (code: number, details: string): HeaderList =>
  details ? [['grpc-status', String(code)], ['grpc-message', encodeMessage(details)]] : [['grpc-status', String(code)]]

function requestHeaders(list: HeaderList): RequestHeaders {
  const headers: RequestHeaders = {}
  for (const [name, value] of list) headers[name] = name in headers ? `${headers[name]}, ${value}` : value
  return headers
}

const EMPTY = Buffer.alloc(0)
const COMPRESSED_REQUEST = {code: Status.UNIMPLEMENTED, details: 'compressed messages are not supported'}

/**
 * One call, as its handler sees it (ServerCall) and as its stream's owner (StreamHandlers). A class, not closures:
 * a plugin answers tens of thousands of calls a second, and each closure and object a call makes is garbage.
 */
class Call extends EventEmitter implements ServerCall, StreamHandlers {
  request: unknown = undefined
  cancelled = false
  private finished = false
  private headersSent = false
  private gone = false
  private started = false
  private received = 0
  private deadline?: NodeJS.Timeout
  // Made when a message comes in parts (or more than one): a unary request whole in its DATA frame needs none.
  private reader?: MessageReader
  private headerObject?: RequestHeaders
  private readonly respond: UnaryCallback<unknown> = (error, value) => this.answer(error, value)

  constructor(
    private readonly stream: H2Stream,
    private readonly headerList: HeaderList,
    private readonly definition: MethodDefinition<unknown, unknown>,
    private readonly handler: Handler,
    private readonly open: Set<ServerCall>,
    private readonly maxReceiveBytes: number,
  ) {
    super()
  }

  private newReader(): MessageReader {
    return callReader((body) => this.message(body), (status) => this.fail(status), this.maxReceiveBytes, COMPRESSED_REQUEST)
  }

  /** The request's headers, built on first use. */
  get metadata(): RequestHeaders {
    return (this.headerObject ??= requestHeaders(this.headerList))
  }

  // The client's deadline: when it passes, the call ends with DEADLINE_EXCEEDED and its handler is told, as grpc-go does.
  setDeadline(ms: number): void {
    this.deadline = setTimeout(() => {
      this.finish(Status.DEADLINE_EXCEEDED, 'context deadline exceeded')
      this.cancelled = true
      this.emit('cancelled')
    }, Math.min(ms, 2 ** 31 - 1))
  }

  write(message: unknown): boolean {
    if (this.finished || this.gone) return false
    this.sendHeaders()
    this.stream.write(frame(this.definition.responseSerialize(message)))
    return true
  }

  end(): void {
    this.finish(Status.OK)
  }

  // A handler may also be async: its promise's value answers a unary or client-streaming call, and ends a
  // server-streaming one; its rejection fails the call.
  run(): void {
    try {
      const result = this.handler(this, this.respond) as unknown
      if (result && typeof (result as PromiseLike<unknown>).then === 'function') {
        ;(result as Promise<unknown>).then(
          (value) => (this.definition.responseStream ? this.finish(Status.OK) : value !== undefined && this.answer(null, value)),
          (error: unknown) => this.fail(error as CallFailure),
        )
      }
    } catch (error) {
      this.fail(error as CallFailure)
    }
  }

  onData(chunk: Buffer, end: boolean): void {
    // A request whole in one DATA frame, as clients send it, reaches message() without a copy or a reader.
    if (!this.finished && chunk.length > 0) {
      const whole = this.reader === undefined ? wholeMessage(chunk, this.maxReceiveBytes) : undefined
      if (whole !== undefined) this.message(whole)
      else (this.reader ??= this.newReader()).push(chunk)
    }
    if (end) this.ended()
  }

  // Trailers from the client end its half of the stream.
  onHeaders(_trailers: HeaderList, end: boolean): void {
    if (end) this.ended()
  }

  // A reset by the client, or a lost connection, before the call finished.
  onClose(): void {
    this.gone = true
    if (this.finished) return
    this.finished = true
    clearTimeout(this.deadline)
    this.open.delete(this)
    this.cancelled = true
    this.emit('cancelled')
  }

  private message(body: Buffer): void {
    let message: unknown
    try {
      message = this.definition.requestDeserialize(body)
    } catch (error) {
      return this.fail({code: Status.INTERNAL, details: `cannot decode the request: ${(error as Error).message}`})
    }
    this.received++
    if (this.definition.requestStream) return void this.emit('data', message)
    this.request = message
    // The request is whole: answer now rather than a turn later at its end (a second message fails the call there).
    if (this.received === 1) {
      this.started = true
      this.run()
    }
  }

  private ended(): void {
    if (this.finished) return
    if (this.definition.requestStream) return void this.emit('end')
    if (this.received !== 1) return this.fail({code: Status.INTERNAL, details: `a unary request must carry one message, got ${this.received}`})
    if (!this.started) this.run()
  }

  private answer(error: CallFailure | null, value?: unknown): void {
    if (error) return this.fail(error)
    let message: Buffer
    try {
      message = frame(this.definition.responseSerialize(value))
    } catch (cause) {
      return this.fail({code: Status.INTERNAL, details: `cannot encode the response: ${(cause as Error).message}`})
    }
    this.finish(Status.OK, '', message)
  }

  // A GrpcCallError (or anything with a numeric `status`) keeps its status; any other error is UNKNOWN.
  private fail(error: CallFailure): void {
    const e = (error ?? {}) as CallFailure & {status?: number}
    this.finish(typeof e.code === 'number' ? e.code : typeof e.status === 'number' ? e.status : Status.UNKNOWN, e.details ?? e.message ?? String(error))
  }

  private sendHeaders(): void {
    if (this.headersSent) return
    this.headersSent = true
    this.stream.respond(RESPONSE_FIELDS)
  }

  // Ends the call with its status in the trailers; `last` is a final message sent in the same write.
  private finish(code: number, details = '', last?: Buffer): void {
    if (this.finished) return
    this.finished = true
    clearTimeout(this.deadline)
    this.open.delete(this)
    if (this.gone) return
    if (!this.headersSent && last === undefined) return trailersOnly(this.stream, code, details)
    this.sendHeaders()
    this.stream.write(last ?? EMPTY, true, code === Status.OK && !details ? OK_TRAILERS : {indexed: NOTHING_INDEXED, literal: statusFields(code, details)})
  }
}

const TIMEOUT_UNIT_MS: Record<string, number> = {H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 1e-3, n: 1e-6}

/** A grpc-timeout header in milliseconds: at most 8 digits and a unit (gRPC over HTTP/2, "Requests"); NaN when malformed. */
export function parseTimeout(value: string): number {
  const match = /^(\d{1,8})([HMSmun])$/.exec(value)
  return match ? Number(match[1]) * TIMEOUT_UNIT_MS[match[2]] : Number.NaN
}

const trailersOnly = (stream: H2Stream, code: number, details: string) => stream.respond({indexed: RESPONSE_HEADERS, literal: statusFields(code, details)}, true)

export class GrpcServer {
  private readonly methods = new Map<string, {definition: MethodDefinition<unknown, unknown>; handler: Handler}>()
  private server?: net.Server
  private readonly connections = new Set<H2Connection>()
  private readonly sockets = new Set<Duplex>()
  private readonly open = new Set<ServerCall>()

  constructor(private readonly maxReceiveBytes = DEFAULT_MAX_RECEIVE) {}

  /** Registers every method of `definition`; `implementation` holds a handler per method name. */
  addService(definition: ServiceDefinition, implementation: Record<string, unknown>): void {
    for (const [name, method] of Object.entries(definition)) {
      const handler = implementation[name] ?? implementation[method.originalName ?? name]
      if (typeof handler !== 'function') continue
      this.methods.set(method.path, {definition: method as MethodDefinition<unknown, unknown>, handler: handler as Handler})
    }
  }

  /** Listens on a unix socket path or a TCP port of 127.0.0.1; resolves with the port (0 for a socket). */
  async listen(where: {path: string} | {port: number}, tls?: TlsOptions): Promise<number> {
    // node:tls is loaded only for AutoMTLS; a TLS client must agree to h2 by ALPN, as grpc-go's server requires.
    const server = tls
      ? (await import('node:tls')).createServer(
          {key: tls.key, cert: tls.cert, ca: tls.ca, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2', ALPNProtocols: ['h2']},
          (socket) => (socket.alpnProtocol === 'h2' ? this.serve(socket) : socket.destroy()),
        )
      : net.createServer((socket) => this.serve(socket))
    this.server = server
    return new Promise((resolve, reject) => {
      server.once('error', reject)
      const ready = () => {
        const address = server.address()
        resolve(typeof address === 'object' && address ? address.port : 0)
      }
      if ('path' in where) server.listen(where.path, ready)
      else server.listen(where.port, '127.0.0.1', ready)
    })
  }

  /** Ends open streams with OK, closes every connection (at once after `graceMs`), and stops listening. */
  close(graceMs = 250): Promise<void> {
    for (const call of this.open) call.end()
    for (const connection of this.connections) connection.close()
    // A client that keeps its half of a stream open would hold its connection open forever.
    const timer = setTimeout(() => {
      for (const socket of this.sockets) socket.destroy()
    }, graceMs)
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        resolve()
      }
      if (this.server) this.server.close(done)
      else done()
    })
  }

  private serve(socket: net.Socket): void {
    socket.setNoDelay(true)
    const connection = new H2Connection(socket, (stream, headers, endStream) => this.onStream(stream, headers, endStream))
    this.connections.add(connection)
    this.sockets.add(socket)
    socket.on('close', () => {
      this.connections.delete(connection)
      this.sockets.delete(socket)
    })
  }

  private onStream(stream: H2Stream, list: HeaderList, endStream: boolean): void {
    const path = header(list, ':path') ?? ''
    const entry = this.methods.get(path)
    if (entry === undefined) return trailersOnly(stream, Status.UNIMPLEMENTED, `unknown service or method ${path}`)
    if (!(header(list, 'content-type') ?? '').startsWith('application/grpc')) return stream.respond(encodeHeaders([[':status', '415']]), true)
    const timeoutField = header(list, 'grpc-timeout')
    const timeout = timeoutField === undefined ? undefined : parseTimeout(timeoutField)
    if (timeout !== undefined && Number.isNaN(timeout)) return trailersOnly(stream, Status.INTERNAL, `malformed grpc-timeout ${JSON.stringify(timeoutField)}`)
    const call = new Call(stream, list, entry.definition, entry.handler, this.open, this.maxReceiveBytes)
    stream.handlers = call
    if (timeout !== undefined) call.setDeadline(timeout)
    if (entry.definition.requestStream) {
      this.open.add(call)
      call.run()
    } else if (entry.definition.responseStream) this.open.add(call)
    if (endStream) call.onData(EMPTY, true)
  }
}
