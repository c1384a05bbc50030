// The lean gRPC path against servers that misbehave on purpose (node:http2 answering what a gRPC server must
// not), and the lean server honouring a client's deadline (grpc-timeout).
import {mkdtempSync, rmSync} from 'node:fs'
import http2 from 'node:http2'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {frame} from '../src/protocol/frames.js'
import {connectGrpc, GrpcStatus} from '../src/protocol/grpc-client.js'
import {GrpcServer, parseTimeout, type ServerCall, type UnaryCallback} from '../src/protocol/grpc-server.js'
import {healthService, method} from '../src/protocol/services.js'

const dir = mkdtempSync(path.join(os.tmpdir(), 'ps-lean-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))
let sockets = 0
const socketPath = () => path.join(dir, `s${sockets++}`)

describe('the lean client against a server that is not quite gRPC', () => {
  const address = socketPath()
  let server: http2.Http2Server
  const reply = new Map<string, (stream: http2.ServerHttp2Stream) => void>()
  beforeAll(async () => {
    server = http2.createServer()
    server.on('stream', (stream, headers) => {
      stream.on('error', () => {})
      reply.get(String(headers['x-case']))!(stream)
    })
    await new Promise<void>((resolve) => server.listen(address, resolve))
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  const ask = async (which: string, handle: (stream: http2.ServerHttp2Stream) => void, maxReceiveMessageBytes?: number) => {
    reply.set(which, handle)
    const client = await connectGrpc({network: 'unix', address}, {maxReceiveMessageBytes, timeoutMs: 5000})
    try {
      return await client.call(healthService.check, {service: 'plugin'}, {metadata: {'x-case': which}}).catch((error: unknown) => error)
    } finally {
      client.close()
    }
  }
  const good = healthService.check.responseSerialize({status: 1})

  it('answers a well-formed response', async () => {
    const result = await ask('ok', (stream) => {
      stream.respond({':status': 200, 'content-type': 'application/grpc'}, {waitForTrailers: true})
      stream.once('wantTrailers', () => stream.sendTrailers({'grpc-status': '0'}))
      stream.end(frame(good))
    })
    expect(result).toEqual({status: 1})
  })

  it.each([
    [404, GrpcStatus.UNIMPLEMENTED],
    [503, GrpcStatus.UNAVAILABLE],
    [500, GrpcStatus.UNKNOWN],
  ])('maps HTTP status %i to gRPC status %i', async (status, code) => {
    const result = await ask(`status-${status}`, (stream) => stream.respond({':status': status}, {endStream: true}))
    expect(result).toMatchObject({status: code, details: `the server answered HTTP status ${status}, not 200`})
  })

  it('refuses a response that is not application/grpc', async () => {
    const result = await ask('html', (stream) => {
      stream.respond({':status': 200, 'content-type': 'text/html'})
      stream.end('<html></html>')
    })
    expect(result).toMatchObject({status: GrpcStatus.UNKNOWN, details: 'the server answered content-type "text/html", not application/grpc'})
  })

  it('refuses a message above its receive limit before reading it', async () => {
    const result = await ask(
      'large',
      (stream) => {
        stream.respond({':status': 200, 'content-type': 'application/grpc'})
        stream.end(frame(Buffer.alloc(2048)))
      },
      1024,
    )
    expect(result).toMatchObject({status: GrpcStatus.RESOURCE_EXHAUSTED, details: 'received message larger than max (2048 vs. 1024)'})
  })

  it('fails a stream that ends without trailers, and one that is reset', async () => {
    const noTrailers = await ask('no-trailers', (stream) => {
      stream.respond({':status': 200, 'content-type': 'application/grpc'})
      stream.end(frame(good))
    })
    expect(noTrailers).toMatchObject({status: GrpcStatus.INTERNAL, details: 'the server ended the stream without trailers (no grpc-status)'})
    const reset = await ask('reset', (stream) => stream.close(http2.constants.NGHTTP2_REFUSED_STREAM))
    expect(reset).toMatchObject({status: GrpcStatus.UNAVAILABLE})
  })

  it('percent-decodes grpc-message from a trailers-only response', async () => {
    const result = await ask('trailers-only', (stream) =>
      stream.respond({':status': 200, 'content-type': 'application/grpc', 'grpc-status': '5', 'grpc-message': 'no%20such%20thing'}, {endStream: true}),
    )
    expect(result).toMatchObject({status: GrpcStatus.NOT_FOUND, details: 'no such thing'})
  })
})

describe('the lean server honours grpc-timeout', () => {
  it('parses each unit, and refuses more than 8 digits', () => {
    expect([parseTimeout('2H'), parseTimeout('3M'), parseTimeout('4S'), parseTimeout('5m'), parseTimeout('6000u'), parseTimeout('7000000n')]).toEqual([7_200_000, 180_000, 4000, 5, 6, 7])
    expect(parseTimeout('123456789m')).toBeNaN()
    expect(parseTimeout('10x')).toBeNaN()
  })

  it('ends a call that outlives its deadline with DEADLINE_EXCEEDED and tells the handler', async () => {
    const address = socketPath()
    const server = new GrpcServer()
    let cancelled = false
    server.addService(healthService, {
      check(call: ServerCall, _callback: UnaryCallback<unknown>) {
        call.on('cancelled', () => (cancelled = true))
      },
    })
    await server.listen({path: address})
    const client = await connectGrpc({network: 'unix', address})
    // The client's own timer is later than the server's deadline, so the status is the server's.
    const stream = client.stream(healthService.check, () => {}, {service: 'plugin'}, {metadata: {'grpc-timeout': '50m'}})
    expect(await stream.done).toEqual({code: GrpcStatus.DEADLINE_EXCEEDED, details: 'context deadline exceeded'})
    expect(cancelled).toBe(true)
    client.close()
    await server.close()
  })
})

describe('the lean client and server with large messages and many calls', () => {
  const raw = {encode: (b: Buffer) => b, decode: (b: Buffer) => Buffer.from(b)}
  const echo = {echo: method<Buffer, Buffer>('/test.Echo/Echo', raw, raw), collect: method<Buffer, Buffer, true, false>('/test.Echo/Collect', raw, raw, {requestStream: true})}

  it('echoes a 3 MiB message both ways through flow control, and 200 calls in flight at once', async () => {
    const address = socketPath()
    const server = new GrpcServer()
    server.addService(echo, {
      echo: (call: ServerCall<Buffer>, callback: UnaryCallback<Buffer>) => callback(null, call.request),
      collect(call: ServerCall<Buffer>, callback: UnaryCallback<Buffer>) {
        const parts: Buffer[] = []
        call.on('data', (part: Buffer) => parts.push(part))
        call.on('end', () => callback(null, Buffer.concat(parts)))
      },
    })
    await server.listen({path: address})
    const client = await connectGrpc({network: 'unix', address})
    const big = Buffer.alloc(3 * 1024 * 1024, 'abcdefgh')
    expect((await client.call(echo.echo, big)).equals(big)).toBe(true)
    const many = await Promise.all(Array.from({length: 200}, (_, i) => client.call(echo.echo, Buffer.from(String(i)))))
    expect(many.map((b) => b.toString())).toEqual(Array.from({length: 200}, (_, i) => String(i)))
    let reply: Buffer | undefined
    const stream = client.stream(echo.collect, (message) => (reply = message))
    for (let i = 0; i < 5; i++) stream.send(Buffer.alloc(300_000, i))
    stream.end()
    expect(await stream.done).toEqual({code: GrpcStatus.OK, details: ''})
    expect(reply!.length).toBe(1_500_000)
    expect(reply![1_499_999]).toBe(4)
    client.close()
    await client.closed
    await server.close()
  })
})
