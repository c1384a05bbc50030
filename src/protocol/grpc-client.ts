// A lean gRPC client: one HTTP/2 connection (h2-connection.ts, on a plain or TLS socket) to a go-plugin plugin or a
// brokered service, one stream per call, messages framed by hand. It speaks unary and streaming calls, checks
// each response's :status and content-type, enforces a receive limit and deadlines (grpc-timeout), and maps
// every way a call can end to a gRPC status.
import type {MethodDefinition} from '@grpc/grpc-js'
import net from 'node:net'
import {callReader, frame, type MessageReader, wholeMessage} from './frames.js'
import {PluginError} from '../sample/contract.js'
import {header, type HeaderFields, type HeaderList} from './hpack.js'
import {H2Connection, H2Error, type H2Stream, type StreamHandlers} from './h2-connection.js'
import type {TlsIdentity} from './mtls.js'

/** gRPC status codes (grpc/grpc doc/statuscodes.md). */
export const GrpcStatus = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const

/** A call that ended with a gRPC status other than OK. */
export class GrpcCallError extends Error {
  constructor(
    readonly status: number,
    readonly details: string,
  ) {
    super(`gRPC status ${status}: ${details}`)
    this.name = 'GrpcCallError'
  }
}

export interface CallStatus {
  code: number
  details: string
}

export interface CallOptions {
  /** The call's deadline: sent as grpc-timeout, and the call fails with DEADLINE_EXCEEDED when it passes. */
  timeoutMs?: number
  /** Request metadata (lower-case names; a `-bin` name carries base64). */
  metadata?: Record<string, string>
}

/** A streaming call: messages arrive through the callback given when it was opened; `done` settles with its status. */
export interface StreamCall<Req> {
  send(message: Req): void
  end(): void
  cancel(): void
  readonly done: Promise<CallStatus>
}

export interface GrpcClient {
  /** A unary call; a number as third argument is the timeout in ms. Rejects with GrpcCallError. */
  call<Req, Res>(method: MethodDefinition<Req, Res>, request: Req, options?: CallOptions | number): Promise<Res>
  /** Opens a streaming call; for a server-streaming method, `request` is its one request message. */
  stream<Req, Res>(method: MethodDefinition<Req, Res>, onMessage: (message: Res) => void, request?: Req, options?: CallOptions): StreamCall<Req>
  /** Resolves when the connection is gone (closed by either side, or lost). */
  readonly closed: Promise<void>
  close(): void
}

/** Where to connect: a go-plugin handshake, or a broker's ConnInfo, names a network and an address. */
export interface GrpcTarget {
  network: 'unix' | 'tcp' | string
  address: string
  /** The server's certificate (PEM) to trust; with `identity`, the connection is mutual TLS. */
  serverCertPem?: string
}

export interface ConnectOptions {
  /** This side's certificate and key for mutual TLS (AutoMTLS). */
  identity?: TlsIdentity
  timeoutMs?: number
  /** The largest message accepted, in bytes (default: go-plugin's host limit, 2^31-1). */
  maxReceiveMessageBytes?: number
}

/** go-plugin's host accepts messages up to math.MaxInt32 bytes (grpc_client.go). */
export const DEFAULT_MAX_RECEIVE = 2 ** 31 - 1

/** gRPC's grpc-timeout header: at most 8 digits, so a long deadline is given in seconds. */
export function timeoutHeader(ms: number): string {
  const millis = Math.ceil(ms)
  return millis < 1e8 ? `${millis}m` : `${Math.min(Math.ceil(millis / 1000), 99_999_999)}S`
}

/** Where to connect: a unix socket path, or a TCP `host:port` (an IPv6 host in brackets). */
export function endpoint(target: GrpcTarget): {path: string} | {host: string; port: number} {
  if (target.network === 'unix') return {path: target.address}
  const colon = target.address.lastIndexOf(':')
  return {host: target.address.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port: Number(target.address.slice(colon + 1))}
}

function decodeDetails(value: string | undefined): string {
  if (value === undefined) return ''
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

// gRPC over HTTP/2: an HTTP status other than 200 maps to a gRPC code (doc/http-grpc-status-mapping.md).
function httpStatusCode(status: number): number {
  if (status === 400) return GrpcStatus.INTERNAL
  if (status === 401) return GrpcStatus.UNAUTHENTICATED
  if (status === 403) return GrpcStatus.PERMISSION_DENIED
  if (status === 404) return GrpcStatus.UNIMPLEMENTED
  if (status === 429 || status === 502 || status === 503 || status === 504) return GrpcStatus.UNAVAILABLE
  return GrpcStatus.UNKNOWN
}

// An HTTP/2 reset maps to a gRPC code too (doc/PROTOCOL-HTTP2.md, "Errors").
function resetStatus(rstCode: number): CallStatus {
  const code = rstCode === H2Error.CANCEL ? GrpcStatus.CANCELLED : rstCode === H2Error.REFUSED_STREAM ? GrpcStatus.UNAVAILABLE : rstCode === 11 ? GrpcStatus.RESOURCE_EXHAUSTED : rstCode === 12 ? GrpcStatus.PERMISSION_DENIED : GrpcStatus.INTERNAL
  return {code, details: `the stream was reset by the server (HTTP/2 code ${rstCode})`}
}

/** The status a response's first header block sets, when it already ends the call or is not a gRPC response. */
export function responseHeadersProblem(headers: HeaderList): CallStatus | undefined {
  const status = Number(header(headers, ':status'))
  if (status !== 200) return {code: httpStatusCode(status), details: `the server answered HTTP status ${header(headers, ':status') ?? '(none)'}, not 200`}
  const type = header(headers, 'content-type') ?? ''
  if (type !== 'application/grpc' && !/^application\/grpc($|[+;])/.test(type)) return {code: GrpcStatus.UNKNOWN, details: `the server answered content-type ${JSON.stringify(type)}, not application/grpc`}
  return undefined
}

export function trailerStatus(headers: HeaderList): CallStatus {
  const raw = header(headers, 'grpc-status')
  if (raw === '0' && headers.length === 1) return {code: GrpcStatus.OK, details: ''}
  if (raw === undefined || !/^\d+$/.test(raw)) return {code: GrpcStatus.INTERNAL, details: `the server's trailers carry no valid grpc-status (${raw === undefined ? 'none' : JSON.stringify(raw)})`}
  return {code: Number(raw), details: decodeDetails(header(headers, 'grpc-message'))}
}

const COMPRESSED_ANSWER = {code: GrpcStatus.INTERNAL, details: 'the server sent a compressed message, though this client asked for none'}

/**
 * One gRPC call's life on a stream: headers checked, messages read within the limit, the status taken from the
 * trailers (or a trailers-only response), a reset or a lost connection mapped to a status. Settles once.
 */
class CallState implements StreamHandlers {
  stream?: H2Stream
  private headersSeen = false
  private status?: CallStatus
  private timer?: NodeJS.Timeout
  // Made when a message comes in parts (or more than one): a unary answer whole in its DATA frame needs none.
  private reader?: MessageReader

  constructor(
    private readonly onMessage: (body: Buffer) => void,
    private readonly onDone: (status: CallStatus) => void,
    private readonly maxReceive: number,
    timeoutMs: number,
  ) {
    if (timeoutMs > 0) this.timer = setTimeout(() => this.abort({code: GrpcStatus.DEADLINE_EXCEEDED, details: `deadline exceeded after ${timeoutMs} ms`}), timeoutMs)
  }

  private newReader(): MessageReader {
    return callReader(this.onMessage, (status) => this.abort(status), this.maxReceive, COMPRESSED_ANSWER)
  }

  get settled(): boolean {
    return this.status !== undefined
  }

  /** Ends the call from this side: the stream is reset (CANCEL) and the call settles with `status`. */
  abort(status: CallStatus): void {
    if (this.status) return
    this.stream?.cancel()
    this.settle(status)
  }

  settle(status: CallStatus): void {
    if (this.status) return
    this.status = status
    clearTimeout(this.timer)
    this.onDone(status)
  }

  onHeaders(headers: HeaderList, endStream: boolean): void {
    if (this.headersSeen) return this.settle(trailerStatus(headers))
    this.headersSeen = true
    const problem = responseHeadersProblem(headers)
    // A trailers-only response may carry a non-200 status (a proxy's) or the grpc status itself.
    if (problem && !(endStream && header(headers, 'grpc-status') !== undefined && Number(header(headers, ':status')) === 200)) return this.abort(problem)
    if (endStream) this.settle(trailerStatus(headers))
  }

  onData(data: Buffer, endStream: boolean): void {
    if (this.status) return
    if (!this.headersSeen) return this.abort({code: GrpcStatus.INTERNAL, details: 'the server sent data before its response headers'})
    // A message whole in one DATA frame, as a unary answer comes, reaches onMessage without a copy or a reader.
    const whole = this.reader === undefined ? wholeMessage(data, this.maxReceive) : undefined
    if (whole !== undefined) this.onMessage(whole)
    else if (data.length > 0) (this.reader ??= this.newReader()).push(data)
    if (endStream) this.settle({code: GrpcStatus.INTERNAL, details: 'the server ended the stream without trailers (no grpc-status)'})
  }

  onClose(reason: {rstCode?: number; error?: Error}): void {
    if (reason.error) return this.settle({code: GrpcStatus.UNAVAILABLE, details: reason.error.message})
    this.settle(resetStatus(reason.rstCode ?? H2Error.INTERNAL_ERROR))
  }
}

async function openSocket(target: GrpcTarget, identity: TlsIdentity | undefined, timeoutMs: number) {
  const where = endpoint(target)
  const secure = identity !== undefined && target.serverCertPem !== undefined
  // node:tls only for AutoMTLS.
  const tls = secure ? await import('node:tls') : undefined
  const socket = secure
    ? tls!.connect({...where, servername: 'localhost', ALPNProtocols: ['h2'], ca: target.serverCertPem, cert: identity.certPem, key: identity.keyPem, minVersion: 'TLSv1.2'})
    : net.connect(where)
  socket.setNoDelay(true)
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy()
      reject(
        new PluginError(
          'START_TIMEOUT',
          `timeout while waiting for plugin to start: no ${secure ? 'TLS ' : ''}connection to ${target.address} within ${Math.round(timeoutMs)} ms` +
            (secure ? ' (the plugin printed a certificate: is it serving TLS on that address?)' : ''),
        ),
      )
    }, timeoutMs)
    const failed = (error: Error) => {
      clearTimeout(timer)
      socket.destroy()
      reject(new PluginError('CONNECT_FAILED', `cannot connect to the plugin at ${target.address}: ${error.message}`, {cause: error}))
    }
    socket.once('error', failed)
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer)
      socket.off('error', failed)
      if (secure && (socket as import('node:tls').TLSSocket).alpnProtocol !== 'h2') {
        return failed(new Error(`the server did not agree to HTTP/2 over TLS (ALPN: ${(socket as import('node:tls').TLSSocket).alpnProtocol || 'none'})`))
      }
      resolve()
    })
  })
  return {socket, secure}
}

/**
 * Opens one HTTP/2 connection to the target (TLS when it names a certificate and `identity` is given). Fails with
 * CONNECT_FAILED, or START_TIMEOUT when the connection (a TLS handshake, say) is not up within `timeoutMs`.
 */
export async function connectGrpc(target: GrpcTarget, opts: ConnectOptions = {}): Promise<GrpcClient> {
  const {socket, secure} = await openSocket(target, opts.identity, opts.timeoutMs ?? 60_000)
  const connection = new H2Connection(socket)
  const maxReceive = opts.maxReceiveMessageBytes ?? DEFAULT_MAX_RECEIVE
  const closed = new Promise<void>((resolve) => connection.onClose(() => resolve()))
  // Per method, the fields every call sends: in the server's table after the first call, a few bytes from then on.
  const base = new Map<string, HeaderFields>()
  const headerFields = (path: string, options: CallOptions): HeaderFields => {
    let fields = base.get(path)
    if (fields === undefined) {
      fields = {
        indexed: [
          [':method', 'POST'],
          [':scheme', secure ? 'https' : 'http'],
          [':path', path],
          [':authority', 'localhost'],
          ['content-type', 'application/grpc'],
          ['te', 'trailers'],
        ],
      }
      base.set(path, fields)
    }
    const timed = options.timeoutMs !== undefined && options.timeoutMs > 0
    if (!timed && options.metadata === undefined) return fields
    // A deadline changes per call, and metadata may hold secrets: literals, never indexed.
    const literal: HeaderList = []
    if (timed) literal.push(['grpc-timeout', timeoutHeader(options.timeoutMs!)])
    for (const [name, value] of Object.entries(options.metadata ?? {})) literal.push([name.toLowerCase(), value])
    return {indexed: fields.indexed, literal}
  }
  const open = (path: string, state: CallState, options: CallOptions, body?: Buffer, end = false): boolean => {
    try {
      state.stream = connection.request(headerFields(path, options), state, body, end)
      return true
    } catch (error) {
      state.settle({code: GrpcStatus.UNAVAILABLE, details: (error as Error).message})
      return false
    }
  }

  return {
    closed,
    call<Req, Res>(method: MethodDefinition<Req, Res>, request: Req, options: CallOptions | number = {}): Promise<Res> {
      const callOptions = typeof options === 'number' ? {timeoutMs: options} : options
      return new Promise<Res>((resolve, reject) => {
        let body: Buffer
        try {
          body = frame(method.requestSerialize(request))
        } catch (error) {
          return reject(new GrpcCallError(GrpcStatus.INTERNAL, `cannot encode the request: ${(error as Error).message}`))
        }
        let response: Res | undefined
        let messages = 0
        const state: CallState = new CallState(
          (message) => {
            if (++messages > 1) return state.abort({code: GrpcStatus.INTERNAL, details: 'the server sent more than one message for a unary call'})
            try {
              response = method.responseDeserialize(message)
            } catch (error) {
              state.abort({code: GrpcStatus.INTERNAL, details: `cannot decode the response: ${(error as Error).message}`})
            }
          },
          (status) => {
            if (status.code !== GrpcStatus.OK) return reject(new GrpcCallError(status.code, status.details))
            if (messages === 0) return reject(new GrpcCallError(GrpcStatus.INTERNAL, 'the server ended a unary call with OK but no message'))
            resolve(response as Res)
          },
          maxReceive,
          callOptions.timeoutMs ?? 0,
        )
        open(method.path, state, callOptions, body, true)
      })
    },

    stream<Req, Res>(method: MethodDefinition<Req, Res>, onMessage: (message: Res) => void, request?: Req, options: CallOptions = {}): StreamCall<Req> {
      let resolveDone!: (status: CallStatus) => void
      const done = new Promise<CallStatus>((resolve) => (resolveDone = resolve))
      const state: CallState = new CallState(
        (body) => {
          let message: Res
          try {
            message = method.responseDeserialize(body)
          } catch (error) {
            return state.abort({code: GrpcStatus.INTERNAL, details: `cannot decode a message: ${(error as Error).message}`})
          }
          onMessage(message)
        },
        resolveDone,
        maxReceive,
        options.timeoutMs ?? 0,
      )
      let body: Buffer | undefined
      if (request !== undefined) {
        try {
          body = frame(method.requestSerialize(request))
        } catch (error) {
          state.settle({code: GrpcStatus.INTERNAL, details: `cannot encode the request: ${(error as Error).message}`})
        }
      }
      if (!state.settled) open(method.path, state, options, body, request !== undefined)
      return {
        send(message) {
          if (state.settled || !state.stream) return
          state.stream.write(frame(method.requestSerialize(message)))
        },
        end: () => void state.stream?.end(),
        cancel: () => state.abort({code: GrpcStatus.CANCELLED, details: 'cancelled'}),
        done,
      }
    },

    close() {
      connection.close()
    },
  }
}

