// The lean gRPC path against servers that misbehave on purpose (node:http2 answering what a gRPC server must
// not), and the lean server honouring a client's deadline (grpc-timeout).
import {mkdtempSync, rmSync} from 'node:fs'
import http2 from 'node:http2'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {frame} from '../src/protocol/frames.js'
import {frameHeader} from '../src/protocol/h2-connection.js'
import {encodeHeaders} from '../src/protocol/hpack.js'
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

  it('reads an answer whose message comes in two DATA frames', async () => {
    const result = await ask('parted', (stream) => {
      stream.respond({':status': 200, 'content-type': 'application/grpc'}, {waitForTrailers: true})
      stream.once('wantTrailers', () => stream.sendTrailers({'grpc-status': '0'}))
      const wire = frame(good)
      stream.write(wire.subarray(0, 4), () => setImmediate(() => stream.end(wire.subarray(4))))
    })
    expect(result).toEqual({status: 1})
  })

  it('percent-decodes grpc-message from a trailers-only response', async () => {
    const result = await ask('trailers-only', (stream) =>
      stream.respond({':status': 200, 'content-type': 'application/grpc', 'grpc-status': '5', 'grpc-message': 'no%20such%20thing'}, {endStream: true}),
    )
    expect(result).toMatchObject({status: GrpcStatus.NOT_FOUND, details: 'no such thing'})
  })
})

describe("the lean client and a server's smaller HPACK table", () => {
  it('answers call after call from a node:http2 server that keeps no table (SETTINGS_HEADER_TABLE_SIZE 0)', async () => {
    const address = socketPath()
    const server = http2.createServer({settings: {headerTableSize: 0}})
    const answered: string[] = []
    server.on('stream', (stream, headers) => {
      answered.push(String(headers[':path']))
      stream.respond({':status': 200, 'content-type': 'application/grpc'}, {waitForTrailers: true})
      stream.once('wantTrailers', () => stream.sendTrailers({'grpc-status': '0'}))
      stream.end(frame(healthService.check.responseSerialize({status: 1})))
    })
    await new Promise<void>((resolve) => server.listen(address, resolve))
    const client = await connectGrpc({network: 'unix', address}, {timeoutMs: 5000})
    try {
      // node:http2 refuses a block that refers to its (empty) table, or that lacks the table size update it expects.
      const results = []
      for (let i = 0; i < 3; i++) results.push(await client.call(healthService.check, {service: 'plugin'}))
      expect(results).toEqual([{status: 1}, {status: 1}, {status: 1}])
      expect(answered).toEqual(Array(3).fill('/grpc.health.v1.Health/Check'))
    } finally {
      client.close()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
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
  const echo = {
    echo: method<Buffer, Buffer>('/test.Echo/Echo', raw, raw),
    collect: method<Buffer, Buffer, true, false>('/test.Echo/Collect', raw, raw, {requestStream: true}),
    header: method<Buffer, Buffer>('/test.Echo/Header', raw, raw),
  }

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
      header: (call: ServerCall<Buffer>, callback: UnaryCallback<Buffer>) => callback(null, Buffer.from(call.metadata[call.request.toString()] ?? '')),
    })
    await server.listen({path: address})
    const client = await connectGrpc({network: 'unix', address})
    // A header block above the 16 KiB frame size goes as HEADERS and CONTINUATION frames, and arrives whole.
    const long = 'v'.repeat(40_000)
    expect((await client.call(echo.header, Buffer.from('x-long'), {metadata: {'x-long': long}})).toString()).toBe(long)
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

// The lean server's HTTP/2 (h2-connection.ts in its server role) against another implementation: node:http2's
// client, with Node's own 64 KiB windows and its own stream handling. grpc-go's client is the interop tests'.
describe("the lean server under node:http2's client", () => {
  const raw = {encode: (b: Buffer) => b, decode: (b: Buffer) => Buffer.from(b)}
  const echo = {echo: method<Buffer, Buffer>('/test.Echo/Echo', raw, raw), hold: method<Buffer, Buffer>('/test.Echo/Hold', raw, raw)}
  const address = socketPath()
  const server = new GrpcServer()
  const held: ServerCall[] = []
  let cancelledCalls = 0
  beforeAll(async () => {
    server.addService(healthService, {check: (_call: ServerCall, callback: UnaryCallback<{status: number}>) => callback(null, {status: 1})})
    server.addService(echo, {
      echo: (call: ServerCall<Buffer>, callback: UnaryCallback<Buffer>) => callback(null, call.request),
      hold(call: ServerCall) {
        held.push(call)
        call.on('cancelled', () => cancelledCalls++)
      },
    })
    await server.listen({path: address})
  })
  afterAll(() => server.close())

  const connect = () => http2.connect('http://localhost', {createConnection: () => net.connect(address)})
  const grpcHeaders = (path: string) => ({':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers'})
  const exchange = (session: http2.ClientHttp2Session, path: string, body: Buffer) =>
    new Promise<{headers: http2.IncomingHttpHeaders; trailers: http2.IncomingHttpHeaders; data: Buffer}>((resolve, reject) => {
      const request = session.request(grpcHeaders(path))
      const chunks: Buffer[] = []
      let headers: http2.IncomingHttpHeaders = {}
      let trailers: http2.IncomingHttpHeaders = {}
      request.on('response', (h) => (headers = h))
      request.on('trailers', (t) => (trailers = t))
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => resolve({headers, trailers, data: Buffer.concat(chunks)}))
      request.on('error', reject)
      request.end(frame(body))
    })

  it('answers a unary call with headers, one message and grpc-status 0 in the trailers', async () => {
    const session = connect()
    const {headers, trailers, data} = await exchange(session, '/grpc.health.v1.Health/Check', healthService.check.requestSerialize({service: 'plugin'}))
    expect([headers[':status'], headers['content-type'], trailers['grpc-status']]).toEqual([200, 'application/grpc', '0'])
    expect(healthService.check.responseDeserialize(data.subarray(5))).toEqual({status: 1})
    session.close()
  })

  it("echoes 3 MiB back within node:http2's 64 KiB windows, and answers 100 streams at once", async () => {
    const session = connect()
    const big = Buffer.alloc(3 * 1024 * 1024, 'xyz')
    const {data} = await exchange(session, '/test.Echo/Echo', big)
    expect(data.length).toBe(big.length + 5)
    expect(data.subarray(5).equals(big)).toBe(true)
    const many = await Promise.all(Array.from({length: 100}, (_, i) => exchange(session, '/test.Echo/Echo', Buffer.from(`n${i}`))))
    expect(many.map(({data: d}) => d.subarray(5).toString())).toEqual(Array.from({length: 100}, (_, i) => `n${i}`))
    session.close()
  })

  it('answers a PING with its ACK and the same payload', async () => {
    const session = connect()
    await new Promise((resolve) => session.once('connect', resolve))
    const payload = Buffer.from('8 bytes!')
    const echoed = await new Promise<Buffer>((resolve, reject) => session.ping(payload, (error, _ms, back) => (error ? reject(error) : resolve(back))))
    expect(echoed.equals(payload)).toBe(true)
    session.close()
  })

  // A request's bytes as DATA frames of their own, a turn apart.
  const exchangeParts = (session: http2.ClientHttp2Session, path: string, parts: Buffer[]) =>
    new Promise<{trailers: http2.IncomingHttpHeaders; data: Buffer}>((resolve, reject) => {
      const request = session.request(grpcHeaders(path))
      const chunks: Buffer[] = []
      let trailers: http2.IncomingHttpHeaders = {}
      request.on('response', (h) => (trailers = h))
      request.on('trailers', (t) => (trailers = t))
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => resolve({trailers, data: Buffer.concat(chunks)}))
      request.on('error', reject)
      const send = (i: number) => (i === parts.length - 1 ? request.end(parts[i]) : request.write(parts[i], () => setImmediate(() => send(i + 1))))
      send(0)
    })

  it('reads a message that comes in parts, fails a compressed one (UNIMPLEMENTED) and answers the first of two in one frame', async () => {
    const session = connect()
    const wire = frame(Buffer.from('in three parts'))
    const parted = await exchangeParts(session, '/test.Echo/Echo', [wire.subarray(0, 3), wire.subarray(3, 9), wire.subarray(9)])
    expect([parted.trailers['grpc-status'], parted.data.subarray(5).toString()]).toEqual(['0', 'in three parts'])
    const compressed = await exchangeParts(session, '/test.Echo/Echo', [Buffer.concat([Buffer.from([1]), wire.subarray(1)])])
    expect([compressed.trailers['grpc-status'], compressed.trailers['grpc-message']]).toEqual(['12', 'compressed%20messages%20are%20not%20supported'])
    const two = await exchangeParts(session, '/test.Echo/Echo', [Buffer.concat([wire, wire])])
    expect([two.trailers['grpc-status'], two.data.subarray(5).toString()]).toEqual(['0', 'in three parts'])
    session.close()
  })

  it("tells the handler when the client resets its stream (RST_STREAM CANCEL)", async () => {
    const session = connect()
    const request = session.request(grpcHeaders('/test.Echo/Hold'))
    request.on('error', () => {})
    request.end(frame(Buffer.from('hold')))
    await expect.poll(() => held.length, {timeout: 5000}).toBe(1)
    request.close(http2.constants.NGHTTP2_CANCEL)
    await expect.poll(() => cancelledCalls, {timeout: 5000}).toBe(1)
    session.close()
  })

  // What the server sends back to raw bytes, until it closes the connection.
  const rawExchange = async (bytes: Buffer) => {
    const socket = net.connect(address)
    const received: Buffer[] = []
    socket.on('data', (chunk: Buffer) => received.push(chunk))
    socket.write(bytes)
    await new Promise((resolve) => socket.on('close', resolve))
    return Buffer.concat(received)
  }
  // The frames of a buffer, as [type, streamId, payload].
  const frames = (bytes: Buffer) => {
    const out: [number, number, Buffer][] = []
    for (let at = 0; at + 9 <= bytes.length; ) {
      const length = bytes.readUIntBE(at, 3)
      out.push([bytes[at + 3]!, bytes.readUInt32BE(at + 5) & 0x7fffffff, bytes.subarray(at + 9, at + 9 + length)])
      at += 9 + length
    }
    return out
  }

  it('ends the connection with GOAWAY PROTOCOL_ERROR when a client opens an even stream, and names it', async () => {
    const preface = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1')
    const block = encodeHeaders([[':method', 'POST'], [':path', '/grpc.health.v1.Health/Check'], ['content-type', 'application/grpc']])
    const headers = Buffer.concat([frameHeader(block.length, 1, 0x4 | 0x1, 2), block])
    const bytes = await rawExchange(Buffer.concat([preface, frameHeader(0, 4, 0, 0), headers]))
    const goaway = frames(bytes).find(([type]) => type === 7)
    expect(goaway && [goaway[2].readUInt32BE(4), goaway[2].subarray(8).toString()]).toEqual([1, 'HEADERS on stream 2, which is not a new client stream'])
  })

  it('refuses a connection that does not open with the HTTP/2 preface: GOAWAY PROTOCOL_ERROR, then closed', async () => {
    const received = frames(await rawExchange(Buffer.from('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n')))
    // The server's SETTINGS come first; the GOAWAY after them carries PROTOCOL_ERROR (1).
    expect(received.map(([type]) => type)).toEqual([4, 8, 7])
    expect(received[2]![2].readUInt32BE(4)).toBe(1)
  })
})
