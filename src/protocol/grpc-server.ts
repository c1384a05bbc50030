// A lean gRPC server on node:http2, for plugins: the services of a grpc-js ServiceDefinition with handlers
// in grpc-js's shape (unary: call.request + callback; streams: call.write/end and 'data'/'end' events).
// grpc-js's server costs a plugin ~25 ms of start and a few hundred microseconds per call; this is
// little more than HTTP/2 itself. Not supported: compression (a client must not compress, as none do by default).
import {EventEmitter} from 'node:events'
import type {Http2SecureServer, Http2Server, IncomingHttpHeaders, ServerHttp2Session, ServerHttp2Stream} from 'node:http2'
import http2 from 'node:http2'
import type {MethodDefinition, ServiceDefinition} from '@grpc/grpc-js'
import {frame, MessageReader} from './frames.js'

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
  metadata: IncomingHttpHeaders
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
const WINDOW = 1024 * 1024
const settings = {initialWindowSize: WINDOW}

// grpc-message is percent-encoded (gRPC over HTTP/2, "Responses").
const encodeMessage = (text: string) => encodeURIComponent(text)

const TIMEOUT_UNIT_MS: Record<string, number> = {H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 1e-3, n: 1e-6}

/** A grpc-timeout header in milliseconds: at most 8 digits and a unit (gRPC over HTTP/2, "Requests"); NaN when malformed. */
export function parseTimeout(value: string): number {
  const match = /^(\d{1,8})([HMSmun])$/.exec(value)
  return match ? Number(match[1]) * TIMEOUT_UNIT_MS[match[2]] : Number.NaN
}

function trailersOnly(stream: ServerHttp2Stream, code: number, details: string): void {
  if (stream.destroyed || stream.headersSent) return
  stream.respond({':status': 200, 'content-type': 'application/grpc', 'grpc-status': String(code), 'grpc-message': encodeMessage(details)}, {endStream: true})
}

export class GrpcServer {
  private readonly methods = new Map<string, {definition: MethodDefinition<unknown, unknown>; handler: Handler}>()
  private server?: Http2Server | Http2SecureServer
  private readonly sessions = new Set<ServerHttp2Session>()
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
  listen(where: {path: string} | {port: number}, tls?: TlsOptions): Promise<number> {
    const server = tls
      ? http2.createSecureServer({key: tls.key, cert: tls.cert, ca: tls.ca, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2', ALPNProtocols: ['h2'], settings})
      : http2.createServer({settings})
    this.server = server
    server.on('session', (session: ServerHttp2Session) => {
      this.sessions.add(session)
      session.setLocalWindowSize(WINDOW)
      session.on('close', () => this.sessions.delete(session))
      session.on('error', () => {})
    })
    server.on('stream', (stream, headers) => this.onStream(stream, headers))
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
    for (const session of this.sessions) session.close()
    // A client that keeps its half of a stream open would hold its connection open forever.
    const timer = setTimeout(() => {
      for (const session of this.sessions) session.destroy()
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

  private onStream(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    stream.on('error', () => {})
    const path = String(headers[':path'])
    const entry = this.methods.get(path)
    if (entry === undefined) return trailersOnly(stream, Status.UNIMPLEMENTED, `unknown service or method ${path}`)
    if (!String(headers['content-type'] ?? '').startsWith('application/grpc')) {
      stream.respond({':status': 415}, {endStream: true})
      return
    }
    const timeout = headers['grpc-timeout'] === undefined ? undefined : parseTimeout(String(headers['grpc-timeout']))
    if (timeout !== undefined && Number.isNaN(timeout)) return trailersOnly(stream, Status.INTERNAL, `malformed grpc-timeout ${JSON.stringify(headers['grpc-timeout'])}`)
    const {definition, handler} = entry
    const call = new EventEmitter() as ServerCall
    call.metadata = headers
    call.cancelled = false
    let finished = false
    const sendHeaders = () => {
      if (!stream.headersSent) stream.respond({':status': 200, 'content-type': 'application/grpc'}, {waitForTrailers: true})
    }
    // Ends the call with its status in the trailers; `last` is a final message sent in the same write.
    let deadline: NodeJS.Timeout | undefined
    const finish = (code: number, details = '', last?: Buffer) => {
      if (finished) return
      finished = true
      clearTimeout(deadline)
      this.open.delete(call)
      if (stream.destroyed || stream.closed) return
      if (!stream.headersSent && last === undefined) return trailersOnly(stream, code, details)
      sendHeaders()
      stream.once('wantTrailers', () => stream.sendTrailers(details ? {'grpc-status': String(code), 'grpc-message': encodeMessage(details)} : {'grpc-status': String(code)}))
      stream.end(last)
    }
    // A GrpcCallError (or anything with a numeric `status`) keeps its status; any other error is UNKNOWN.
    const fail = (error: CallFailure) => {
      const e = (error ?? {}) as CallFailure & {status?: number}
      finish(typeof e.code === 'number' ? e.code : typeof e.status === 'number' ? e.status : Status.UNKNOWN, e.details ?? e.message ?? String(error))
    }
    call.write = (message) => {
      if (finished || stream.destroyed) return false
      sendHeaders()
      return stream.write(frame(definition.responseSerialize(message)))
    }
    call.end = () => finish(Status.OK)
    stream.on('close', () => {
      if (finished) return
      finished = true
      clearTimeout(deadline)
      this.open.delete(call)
      call.cancelled = true
      call.emit('cancelled')
    })
    // The client's deadline: when it passes, the call ends with DEADLINE_EXCEEDED and its handler is told, as grpc-go does.
    if (timeout !== undefined) {
      deadline = setTimeout(() => {
        finish(Status.DEADLINE_EXCEEDED, 'context deadline exceeded')
        call.cancelled = true
        call.emit('cancelled')
      }, Math.min(timeout, 2 ** 31 - 1))
    }

    const unaryResponse: UnaryCallback<unknown> = (error, value) => {
      if (error) return fail(error)
      let message: Buffer
      try {
        message = frame(definition.responseSerialize(value))
      } catch (cause) {
        return fail({code: Status.INTERNAL, details: `cannot encode the response: ${(cause as Error).message}`})
      }
      finish(Status.OK, '', message)
    }
    // A handler may also be async: its promise's value answers a unary or client-streaming call, and ends a
    // server-streaming one; its rejection fails the call.
    const run = () => {
      try {
        const result = handler(call, unaryResponse) as unknown
        if (result && typeof (result as PromiseLike<unknown>).then === 'function') {
          ;(result as Promise<unknown>).then(
            (value) => (definition.responseStream ? finish(Status.OK) : value !== undefined && unaryResponse(null, value)),
            (error: unknown) => fail(error as CallFailure),
          )
        }
      } catch (error) {
        fail(error as CallFailure)
      }
    }

    const streamsIn = definition.requestStream
    if (streamsIn) {
      this.open.add(call)
      run()
    } else if (definition.responseStream) this.open.add(call)
    let received = 0
    let started = false
    const reader = new MessageReader(
      (body) => {
        let message: unknown
        try {
          message = definition.requestDeserialize(body)
        } catch (error) {
          return fail({code: Status.INTERNAL, details: `cannot decode the request: ${(error as Error).message}`})
        }
        received++
        if (streamsIn) call.emit('data', message)
        else {
          call.request = message
          // The request is whole: answer now rather than a turn later at 'end' (a second message fails the call there).
          if (received === 1) {
            started = true
            run()
          }
        }
      },
      (problem) =>
        fail(
          problem.kind === 'too-large'
            ? {code: Status.RESOURCE_EXHAUSTED, details: `received message larger than max (${problem.length} vs. ${this.maxReceiveBytes})`}
            : {code: Status.UNIMPLEMENTED, details: 'compressed messages are not supported'},
        ),
      this.maxReceiveBytes,
    )
    stream.on('data', (chunk: Buffer) => {
      if (!finished) reader.push(chunk)
    })
    stream.on('end', () => {
      if (finished) return
      if (streamsIn) return void call.emit('end')
      if (received !== 1) return fail({code: Status.INTERNAL, details: `a unary request must carry one message, got ${received}`})
      if (!started) run()
    })
  }
}
