// A lean gRPC client on node:http2: one HTTP/2 session to the plugin, one stream per call, messages framed
// by hand. grpc-js costs several times a raw HTTP/2 round trip per call and ~10 ms to set up a channel;
// this costs little more than HTTP/2 itself. It speaks the same wire (AutoMTLS included) to any go-plugin
// plugin; hosts use grpc-js only to dispense clients of arbitrary services.
import type {ClientHttp2Session, ClientHttp2Stream} from 'node:http2'
import type {MethodDefinition} from '@grpc/grpc-js'
import {frame, MessageReader} from './frames.js'
import {PluginError} from '../sample/contract.js'
import type {Handshake} from './handshake.js'
import type {TlsIdentity} from './mtls.js'

/** gRPC status codes used here (grpc/grpc doc/statuscodes.md). */
export const GrpcStatus = {OK: 0, CANCELLED: 1, UNKNOWN: 2, DEADLINE_EXCEEDED: 4, UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14} as const

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

/** A streaming call: messages arrive through the callback given when it was opened; `done` settles with its status. */
export interface StreamCall<Req> {
  send(message: Req): void
  end(): void
  cancel(): void
  readonly done: Promise<CallStatus>
}

export interface GrpcClient {
  call<Req, Res>(method: MethodDefinition<Req, Res>, request: Req, timeoutMs?: number): Promise<Res>
  /** Opens a streaming call; for a server-streaming method, `request` is its one request message. */
  stream<Req, Res>(method: MethodDefinition<Req, Res>, onMessage: (message: Res) => void, request?: Req): StreamCall<Req>
  close(): void
}

function decodeDetails(value: unknown): string {
  if (typeof value !== 'string') return ''
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

/** Watches a stream for its grpc-status (in trailers, or in a trailers-only response). */
function statusOf(stream: ClientHttp2Stream, onStatus: (status: CallStatus) => void): void {
  const take = (headers: Record<string, unknown>) => {
    if (headers['grpc-status'] !== undefined) onStatus({code: Number(headers['grpc-status']), details: decodeDetails(headers['grpc-message'])})
  }
  stream.on('response', take)
  stream.on('trailers', take)
}

/** The stream and connection flow-control windows: 1 MiB, as the server's (see grpc-server.ts). */
const WINDOW = 1024 * 1024

/** gRPC's grpc-timeout header: at most 8 digits, so a long deadline is given in seconds. */
function timeoutHeader(ms: number): string {
  const millis = Math.ceil(ms)
  return millis < 1e8 ? `${millis}m` : `${Math.min(Math.ceil(millis / 1000), 99_999_999)}S`
}

/** Where to connect: a unix socket path, or a TCP `host:port` (an IPv6 host in brackets). */
function endpoint(handshake: Handshake): {path: string} | {host: string; port: number} {
  if (handshake.network === 'unix') return {path: handshake.address}
  const colon = handshake.address.lastIndexOf(':')
  return {host: handshake.address.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port: Number(handshake.address.slice(colon + 1))}
}

/**
 * Opens one HTTP/2 session to the plugin's address (TLS when the handshake carried a certificate). Fails with
 * CONNECT_FAILED, or START_TIMEOUT when the connection (a TLS handshake, say) is not up within `timeoutMs`.
 */
export async function connectGrpc(handshake: Handshake, identity?: TlsIdentity, timeoutMs = 60_000): Promise<GrpcClient> {
  const [http2, net, tls] = await Promise.all([import('node:http2'), import('node:net'), import('node:tls')])
  const where = endpoint(handshake)
  const secure = identity !== undefined && handshake.serverCertPem !== undefined
  const session: ClientHttp2Session = http2.connect(secure ? 'https://localhost' : 'http://localhost', {
    settings: {initialWindowSize: WINDOW},
    createConnection: () => {
      if (!secure) return net.connect(where).setNoDelay(true)
      return tls.connect({...where, servername: 'localhost', ALPNProtocols: ['h2'], ca: handshake.serverCertPem, cert: identity.certPem, key: identity.keyPem, minVersion: 'TLSv1.2'})
    },
  })
  session.on('error', () => {})
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      session.destroy()
      reject(
        new PluginError(
          'START_TIMEOUT',
          `timeout while waiting for plugin to start: no ${secure ? 'TLS ' : ''}connection to ${handshake.address} within ${Math.round(timeoutMs)} ms` +
            (secure ? ' (the plugin printed a certificate: is it serving TLS on that address?)' : ''),
        ),
      )
    }, timeoutMs)
    const failed = (error: PluginError) => {
      clearTimeout(timer)
      reject(error)
    }
    session.once('connect', () => {
      session.setLocalWindowSize(WINDOW)
      clearTimeout(timer)
      resolve()
    })
    session.once('error', (error) => failed(new PluginError('CONNECT_FAILED', `cannot connect to the plugin at ${handshake.address}: ${error.message}`, {cause: error})))
    session.once('close', () => failed(new PluginError('CONNECT_FAILED', `the plugin at ${handshake.address} closed the connection`)))
  })

  const open = (method: MethodDefinition<unknown, unknown>, timeoutMs = 0): ClientHttp2Stream => {
    const headers: Record<string, string> = {':method': 'POST', ':path': method.path, 'content-type': 'application/grpc', te: 'trailers'}
    if (timeoutMs > 0) headers['grpc-timeout'] = timeoutHeader(timeoutMs)
    const stream = session.request(headers)
    stream.on('error', () => {})
    return stream
  }
  const closedStatus = (stream: ClientHttp2Stream): CallStatus => ({code: GrpcStatus.UNAVAILABLE, details: `the stream closed without a status (HTTP/2 code ${stream.rstCode})`})

  return {
    call<Req, Res>(method: MethodDefinition<Req, Res>, request: Req, timeoutMs = 0): Promise<Res> {
      return new Promise<Res>((resolve, reject) => {
        let stream: ClientHttp2Stream
        try {
          stream = open(method as MethodDefinition<unknown, unknown>, timeoutMs)
        } catch (error) {
          return reject(new GrpcCallError(GrpcStatus.UNAVAILABLE, (error as Error).message))
        }
        let timedOut = false
        const timer = timeoutMs > 0 ? setTimeout(() => ((timedOut = true), stream.close(http2.constants.NGHTTP2_CANCEL)), timeoutMs) : undefined
        const chunks: Buffer[] = []
        let settled = false
        // Settles on the status (trailers): 'close' comes a turn later, and only settles a stream that has none.
        const settle = (status: CallStatus) => {
          if (settled) return
          settled = true
          clearTimeout(timer)
          if (status.code !== GrpcStatus.OK) return reject(new GrpcCallError(status.code, status.details))
          const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)
          if (body.length < 5 || body[0] !== 0 || body.readUInt32BE(1) !== body.length - 5) {
            return reject(new GrpcCallError(GrpcStatus.INTERNAL, `malformed response message (${body.length} bytes)`))
          }
          try {
            resolve(method.responseDeserialize(body.subarray(5)))
          } catch (error) {
            reject(new GrpcCallError(GrpcStatus.INTERNAL, `cannot decode the response: ${(error as Error).message}`))
          }
        }
        statusOf(stream, settle)
        stream.on('data', (chunk: Buffer) => chunks.push(chunk))
        stream.on('close', () => settle(timedOut ? {code: GrpcStatus.DEADLINE_EXCEEDED, details: 'deadline exceeded'} : closedStatus(stream)))
        stream.end(frame(method.requestSerialize(request)))
      })
    },

    stream<Req, Res>(method: MethodDefinition<Req, Res>, onMessage: (message: Res) => void, request?: Req): StreamCall<Req> {
      let stream: ClientHttp2Stream | undefined
      let status: CallStatus | undefined
      const done = new Promise<CallStatus>((resolve) => {
        try {
          stream = open(method as MethodDefinition<unknown, unknown>)
        } catch (error) {
          return resolve({code: GrpcStatus.UNAVAILABLE, details: (error as Error).message})
        }
        const s = stream
        statusOf(s, (st) => (status ??= st))
        // A message the host cannot read ends the stream with INTERNAL: it must not throw out of the socket's event.
        let isBroken = false
        const broken = (details: string) => {
          isBroken = true
          status ??= {code: GrpcStatus.INTERNAL, details}
          if (!s.destroyed) s.close(http2.constants.NGHTTP2_CANCEL)
        }
        const reader = new MessageReader(
          (body) => {
            if (isBroken) return
            let message: Res
            try {
              message = method.responseDeserialize(body)
            } catch (error) {
              return broken(`cannot decode a message: ${(error as Error).message}`)
            }
            onMessage(message)
          },
          // No size limit here, so the only problem is a compressed message.
          () => broken('the plugin sent a compressed message; this host does not negotiate compression'),
        )
        s.on('data', (chunk: Buffer) => reader.push(chunk))
        s.on('close', () => resolve(status ?? (s.rstCode === http2.constants.NGHTTP2_CANCEL ? {code: GrpcStatus.CANCELLED, details: 'cancelled'} : closedStatus(s))))
        if (request !== undefined) s.end(frame(method.requestSerialize(request)))
      })
      return {
        send: (message) => void stream?.write(frame(method.requestSerialize(message))),
        end: () => void stream?.end(),
        cancel: () => void (stream && !stream.destroyed && stream.close(http2.constants.NGHTTP2_CANCEL)),
        done,
      }
    },

    close() {
      session.close()
    },
  }
}
