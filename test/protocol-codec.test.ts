// The hand-written codecs against the .proto files as protobufjs reads them (each way, on generated values),
// and fuzzing of what a peer controls: protobuf bytes, HPACK blocks, the handshake line. Bounded runs.
import path from 'node:path'
import fc from 'fast-check'
import protobuf from 'protobufjs'
import {beforeAll, describe, expect, it} from 'vitest'
import {packageRoot} from '../src/paths.js'
import {encodeHeaders, header, HpackDecoder, HpackEncoder, HpackError, huffmanDecode, type HeaderList} from '../src/protocol/hpack.js'
import {formatHandshake, inspectHandshake} from '../src/protocol/handshake.js'
import {sampleService} from '../src/protocol/sample-service.js'
import {brokerService, healthService, stdioService} from '../src/protocol/services.js'
import {ProtoDecodeError, ProtoReader, ProtoWriter, readFields} from '../src/protocol/wire.js'

const RUNS = {numRuns: 300}
let root: protobuf.Root

beforeAll(async () => {
  const proto = (...parts: string[]) => path.join(packageRoot, 'proto', ...parts)
  root = await protobuf.load([proto('plugin', 'grpc_broker.proto'), proto('plugin', 'grpc_stdio.proto'), proto('grpc', 'health', 'v1', 'health.proto'), proto('sample.proto')])
})

const encodeWith = (type: string, value: object) => Buffer.from(root.lookupType(type).encode(root.lookupType(type).fromObject(value)).finish())
const decodeWith = (type: string, bytes: Buffer) => root.lookupType(type).toObject(root.lookupType(type).decode(bytes), {longs: Number, defaults: true, bytes: Buffer})

const uint32 = fc.integer({min: 0, max: 2 ** 32 - 1})
const int64 = fc.integer({min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER})

describe('hand-written codecs agree with protobufjs reading proto/*.proto', () => {
  it('plugin.ConnInfo (with and without its Knock), both ways', () => {
    const knock = fc.record({knock: fc.boolean(), ack: fc.boolean(), error: fc.string()})
    const connInfo = fc.record({serviceId: uint32, network: fc.constantFrom('unix', 'tcp', ''), address: fc.string(), knock: fc.option(knock, {nil: undefined})})
    const codec = brokerService.startStream
    fc.assert(
      fc.property(connInfo, (value) => {
        const ours = codec.requestSerialize(value)
        const theirs = decodeWith('plugin.ConnInfo', ours)
        expect({serviceId: theirs.serviceId, network: theirs.network, address: theirs.address}).toEqual({serviceId: value.serviceId, network: value.network, address: value.address})
        if (value.knock) expect(theirs.knock).toEqual(value.knock)
        else expect(theirs.knock).toBeNull()
        expect(codec.requestDeserialize(encodeWith('plugin.ConnInfo', value))).toEqual(value)
      }),
      RUNS,
    )
  })

  it('plugin.StdioData, both ways', () => {
    const codec = stdioService.streamStdio
    fc.assert(
      fc.property(fc.record({channel: fc.constantFrom(0, 1, 2), data: fc.uint8Array({maxLength: 300}).map((a) => Buffer.from(a))}), (value) => {
        expect(decodeWith('plugin.StdioData', codec.responseSerialize(value))).toEqual(value)
        expect(codec.responseDeserialize(encodeWith('plugin.StdioData', value))).toEqual(value)
      }),
      RUNS,
    )
  })

  it('grpc.health.v1 HealthCheckRequest and HealthCheckResponse, both ways', () => {
    const codec = healthService.check
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(0, 1, 2, 3), (service, status) => {
        expect(decodeWith('grpc.health.v1.HealthCheckRequest', codec.requestSerialize({service}))).toEqual({service})
        expect(codec.requestDeserialize(encodeWith('grpc.health.v1.HealthCheckRequest', {service}))).toEqual({service})
        expect(decodeWith('grpc.health.v1.HealthCheckResponse', codec.responseSerialize({status}))).toEqual({status})
        expect(codec.responseDeserialize(encodeWith('grpc.health.v1.HealthCheckResponse', {status}))).toEqual({status})
      }),
      RUNS,
    )
  })

  it("the sample's CallRequest and CallResponse (int64 of any sign, optional payload), both ways", () => {
    const codec = sampleService.call
    fc.assert(
      fc.property(int64, fc.option(fc.string(), {nil: undefined}), fc.string(), (number, payload, message) => {
        const request = decodeWith('pluginsurvey.sample.v1.CallRequest', codec.requestSerialize({number, payload}))
        expect(request.number).toBe(number)
        expect(request.payload).toBe(payload)
        expect(codec.requestDeserialize(encodeWith('pluginsurvey.sample.v1.CallRequest', payload === undefined ? {number} : {number, payload}))).toEqual({number, payload})
        expect(codec.responseDeserialize(encodeWith('pluginsurvey.sample.v1.CallResponse', {message, payload}))).toEqual({message, payload: payload ?? undefined})
        expect(decodeWith('pluginsurvey.sample.v1.CallResponse', codec.responseSerialize({message, payload})).message).toBe(message)
      }),
      RUNS,
    )
  })
})

describe('the protobuf reader refuses malformed input with a clear error', () => {
  it.each([
    ['a varint longer than 10 bytes', Buffer.from([0x08, ...Array(10).fill(0xff), 0x01]), 'a varint longer than 10 bytes at byte 1'],
    ['a varint above 64 bits', Buffer.from([0x08, ...Array(9).fill(0xff), 0x02]), 'a varint above 64 bits at byte 1'],
    ['a truncated varint', Buffer.from([0x08, 0x80]), 'a truncated varint at byte 1'],
    ['a length past the end', Buffer.from([0x12, 0x05, 0x61]), 'field 2 is 5 bytes long, but only 1 are left at byte 0'],
    ['a truncated fixed64 (wire type 1)', Buffer.from([0x09, 1, 2, 3]), 'a truncated fixed64 field (8 bytes needed, 3 left) at byte 0'],
    ['a truncated fixed32 (wire type 5)', Buffer.from([0x0d, 1, 2]), 'a truncated fixed32 field (4 bytes needed, 2 left) at byte 0'],
    ['a group (wire type 3)', Buffer.from([0x0b]), 'wire type 3 of field 1 (groups are not supported) at byte 0'],
    ['wire type 7', Buffer.from([0x0f]), 'wire type 7 of field 1 (no such wire type) at byte 0'],
    ['field number 0', Buffer.from([0x00, 0x01]), 'field number 0 at byte 0'],
  ])('%s', (_what, bytes, message) => {
    expect(() => readFields(bytes)).toThrow(new ProtoDecodeError(message.replace(/ at byte \d+$/, ''), Number(/(\d+)$/.exec(message)![1])))
    expect(() => readFields(bytes)).toThrow(`malformed protobuf message: ${message}`)
  })

  it('skips well-formed fixed-width fields it does not know', () => {
    const fields = readFields(Buffer.from([0x09, 1, 2, 3, 4, 5, 6, 7, 8, 0x15, 1, 2, 3, 4, 0x18, 0x2a]))
    expect(fields.get(3)).toEqual({wireType: 0, value: 42n})
    expect(fields.size).toBe(1)
  })

  it('reads field by field: numbers exact to 64 bits, a long encoding of a small number, bytes as a view', () => {
    const bytes = Buffer.concat([
      new ProtoWriter().uint(1, -2).uint(2, 2n ** 64n - 1n).string(3, 'héllo').uint(4, 2 ** 40).finish(),
      // Field 5 = 1, in eight bytes (redundant continuation bits), then a fixed32 that is skipped.
      Buffer.from([0x28, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x35, 1, 2, 3, 4]),
    ])
    const reader = new ProtoReader(bytes)
    const seen: unknown[] = []
    while (reader.next()) seen.push([reader.field, reader.wireType, reader.wireType === 0 ? [reader.int64, reader.uint64] : reader.wireType === 2 ? reader.string() : null])
    expect(seen).toEqual([
      [1, 0, [-2, 2n ** 64n - 2n]],
      [2, 0, [-1, 2n ** 64n - 1n]],
      [3, 2, 'héllo'],
      [4, 0, [2 ** 40, 2n ** 40n]],
      [5, 0, [1, 1n]],
      [6, 5, null],
    ])
  })

  it('fuzz: any bytes give fields or a ProtoDecodeError, never another error', () => {
    fc.assert(
      fc.property(fc.uint8Array({maxLength: 64}), (bytes) => {
        try {
          readFields(Buffer.from(bytes))
        } catch (error) {
          expect(error).toBeInstanceOf(ProtoDecodeError)
        }
      }),
      {numRuns: 2000},
    )
  })

  it('fuzz: the message decoders on any bytes decode or throw ProtoDecodeError', () => {
    const decoders = [brokerService.startStream.requestDeserialize, stdioService.streamStdio.responseDeserialize, healthService.check.responseDeserialize, sampleService.call.requestDeserialize]
    fc.assert(
      fc.property(fc.uint8Array({maxLength: 48}), fc.constantFrom(...decoders), (bytes, decode) => {
        try {
          decode(Buffer.from(bytes))
        } catch (error) {
          expect(error).toBeInstanceOf(ProtoDecodeError)
        }
      }),
      {numRuns: 2000},
    )
  })
})

describe('HPACK', () => {
  it("decodes RFC 7541's Huffman example (C.4.1) and its indexed header blocks (C.4.1-C.4.3), table included", () => {
    expect(huffmanDecode(Buffer.from('f1e3c2e5f23a6ba0ab90f4ff', 'hex'))).toBe('www.example.com')
    const decoder = new HpackDecoder()
    expect(decoder.decode(Buffer.from('828684418cf1e3c2e5f23a6ba0ab90f4ff', 'hex'))).toEqual([
      [':method', 'GET'],
      [':scheme', 'http'],
      [':path', '/'],
      [':authority', 'www.example.com'],
    ])
    expect(decoder.decode(Buffer.from('828684be5886a8eb10649cbf', 'hex'))).toEqual([
      [':method', 'GET'],
      [':scheme', 'http'],
      [':path', '/'],
      [':authority', 'www.example.com'],
      ['cache-control', 'no-cache'],
    ])
    expect(decoder.decode(Buffer.from('828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf', 'hex'))).toEqual([
      [':method', 'GET'],
      [':scheme', 'https'],
      [':path', '/index.html'],
      [':authority', 'www.example.com'],
      ['custom-key', 'custom-value'],
    ])
  })

  it("a connection's encoder indexes its fields once, then sends references, and never indexes its literals", () => {
    const encoder = new HpackEncoder()
    const decoder = new HpackDecoder()
    const fields: HeaderList = [
      [':method', 'POST'],
      [':path', '/a.B/C'],
      ['content-type', 'application/grpc'],
    ]
    const first = encoder.encode({indexed: fields})
    // :method POST is static (3); :path (static name 4) and content-type (31) are literals added to the table.
    expect([...first]).toEqual([0x83, 0x44, 6, ...Buffer.from('/a.B/C'), 0x5f, 16, ...Buffer.from('application/grpc')])
    expect(decoder.decode(first)).toEqual(fields)
    // Newest first: content-type is 62, :path 63.
    const second = encoder.encode({indexed: fields, literal: [['grpc-timeout', '5m']]})
    expect([...second]).toEqual([0x83, 0xbf, 0xbe, ...encodeHeaders([['grpc-timeout', '5m']])])
    expect(decoder.decode(second)).toEqual([...fields, ['grpc-timeout', '5m']])
    // The same bytes again while the table holds still, and the literal never entered it.
    expect(encoder.encode({indexed: fields})).toBe(encoder.encode({indexed: fields}))
    expect(() => decoder.decode(Buffer.from([0xc0]))).toThrow('HPACK: index 64 is beyond the table (63 entries)')
  })

  it('a smaller table asked for by the peer is signalled at the start of the next block, and fields too large stay literals', () => {
    const encoder = new HpackEncoder()
    const decoder = new HpackDecoder()
    const fields: HeaderList = [['x-name', 'v'.repeat(60)]]
    expect(decoder.decode(encoder.encode({indexed: fields}))).toEqual(fields)
    encoder.setMaxTableSize(50)
    const shrunk = encoder.encode({indexed: fields})
    // 001 with 50 in 5 bits (31 + 19), then the field as a literal never indexed (it needs 98 bytes of table).
    expect([...shrunk.subarray(0, 3)]).toEqual([0x3f, 19, 0x10])
    expect(decoder.decode(shrunk)).toEqual(fields)
    expect(encoder.encode({indexed: fields})[0]).toBe(0x10)
    encoder.setMaxTableSize(0)
    expect(encoder.encode({indexed: [[':status', '200']]})).toEqual(Buffer.from([0x20, 0x88]))
  })

  it("fuzz: whatever a connection's encoder writes, in order, a decoder reads back, evictions and table changes included", () => {
    const field = fc.tuple(fc.constantFrom(':path', 'content-type', 'x-a', 'x-b', 'grpc-status'), fc.constantFrom('0', 'short', 'v'.repeat(200), 'w'.repeat(1500)))
    const lists = fc.array(fc.array(field, {minLength: 1, maxLength: 5}), {minLength: 1, maxLength: 4})
    const step = fc.oneof(fc.record({list: fc.nat(3), literal: fc.boolean()}), fc.record({tableSize: fc.integer({min: 0, max: 4096})}))
    fc.assert(
      fc.property(lists, fc.array(step, {maxLength: 40}), (pool, steps) => {
        const encoder = new HpackEncoder()
        const decoder = new HpackDecoder()
        for (const s of steps) {
          if ('tableSize' in s) {
            encoder.setMaxTableSize(s.tableSize)
            continue
          }
          const indexed = pool[s.list % pool.length]!
          const literal: HeaderList | undefined = s.literal ? [['grpc-timeout', '7m']] : undefined
          expect(decoder.decode(encoder.encode({indexed, literal}))).toEqual([...indexed, ...(literal ?? [])])
        }
      }),
      RUNS,
    )
  })

  it('refuses bad Huffman padding and an index beyond the table', () => {
    expect(() => huffmanDecode(Buffer.from([0xf1, 0x00]))).toThrow(HpackError)
    expect(() => new HpackDecoder().decode(Buffer.from([0xff, 0x00]))).toThrow('HPACK: index 127 is beyond the table (61 entries)')
  })

  it('fuzz: what the encoder writes, the decoder reads back', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/)
    const value = fc.string({unit: fc.integer({min: 0x20, max: 0x7e}).map((c) => String.fromCharCode(c)), maxLength: 200})
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), {maxLength: 12}), (headers) => {
        expect(new HpackDecoder().decode(encodeHeaders(headers))).toEqual(headers)
      }),
      RUNS,
    )
  })

  it('fuzz: any bytes decode or throw HpackError', () => {
    fc.assert(
      fc.property(fc.uint8Array({maxLength: 64}), (bytes) => {
        try {
          new HpackDecoder().decode(Buffer.from(bytes))
        } catch (error) {
          expect(error).toBeInstanceOf(HpackError)
        }
      }),
      {numRuns: 2000},
    )
  })
})

describe('the handshake parser under fuzzing', () => {
  const accept = {appVersions: [1, 2], protocols: ['grpc']}

  it('any line gives a handshake or a HANDSHAKE_* error, never a throw', () => {
    const pipeLine = fc.array(fc.oneof(fc.string({maxLength: 12}), fc.constantFrom('1', '2', 'unix', 'tcp', 'grpc', 'netrpc', 'true', '')), {maxLength: 8}).map((parts) => parts.join('|'))
    fc.assert(
      fc.property(fc.oneof(fc.string({maxLength: 80}), pipeLine), (line) => {
        const inspection = inspectHandshake(line, accept)
        if (inspection.error) expect(inspection.error.code).toMatch(/^HANDSHAKE_/)
        else expect(inspection.handshake).toBeDefined()
      }),
      {numRuns: 2000},
    )
  })

  it('what a plugin formats, the host parses back', () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 2), fc.constantFrom('unix', 'tcp'), fc.stringMatching(/^[A-Za-z0-9/._:-]{1,40}$/), fc.option(fc.boolean(), {nil: undefined}), (appVersion, network, address, multiplex) => {
        const line = formatHandshake({appVersion, network, address, protocol: 'grpc', multiplex})
        expect(inspectHandshake(line, accept).handshake).toEqual({coreVersion: 1, appVersion, network, address, protocol: 'grpc', serverCertPem: undefined, multiplex})
      }),
      RUNS,
    )
  })
})

describe('a header of a decoded list', () => {
  it('is the first value of its name, and undefined when absent', () => {
    const list: [string, string][] = [[':status', '200'], ['x', '1'], ['x', '2']]
    expect([header(list, 'x'), header(list, ':status'), header(list, 'y')]).toEqual(['1', '200', undefined])
  })
})
