// go-plugin's own services (proto/plugin/*.proto, proto/grpc/health/v1/health.proto) as grpc-js service
// definitions with hand-written codecs, so neither side needs protobufjs to speak them.
import type {MethodDefinition, ServiceDefinition} from '@grpc/grpc-js'
import {fieldBuffer, fieldNumber, fieldString, ProtoWriter, readFields} from './wire.js'

export type Codec<T> = {encode(value: T): Buffer; decode(buffer: Buffer): T}

/** A method of a service with its codecs; the stream flags are kept as literal types, so typed clients know the method's kind. */
export function method<Req, Res, RequestStream extends boolean = false, ResponseStream extends boolean = false>(
  path: string,
  request: Codec<Req>,
  response: Codec<Res>,
  streams: {requestStream?: RequestStream; responseStream?: ResponseStream} = {},
): MethodDefinition<Req, Res> & {requestStream: RequestStream; responseStream: ResponseStream} {
  return {
    path,
    requestStream: (streams.requestStream ?? false) as RequestStream,
    responseStream: (streams.responseStream ?? false) as ResponseStream,
    requestSerialize: request.encode,
    requestDeserialize: request.decode,
    responseSerialize: response.encode,
    responseDeserialize: response.decode,
  }
}

export type Empty = Record<string, never>
const EMPTY = Buffer.alloc(0)
export const emptyCodec: Codec<Empty> = {encode: () => EMPTY, decode: () => ({})}

/** grpc.health.v1 serving status; go-plugin's host wants SERVING for the service named "plugin". */
export const ServingStatus = {UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3} as const
export interface HealthCheckRequest {
  service: string
}
export interface HealthCheckResponse {
  status: number
}

export const healthService = {
  check: method<HealthCheckRequest, HealthCheckResponse>(
    '/grpc.health.v1.Health/Check',
    {encode: (m) => new ProtoWriter().string(1, m.service).finish(), decode: (b) => ({service: fieldString(readFields(b), 1) ?? ''})},
    {encode: (m) => new ProtoWriter().uint(1, m.status).finish(), decode: (b) => ({status: fieldNumber(readFields(b), 1)})},
  ),
} satisfies ServiceDefinition

export const controllerService = {
  shutdown: method<Empty, Empty>('/plugin.GRPCController/Shutdown', emptyCodec, emptyCodec),
} satisfies ServiceDefinition

export const StdioChannel = {INVALID: 0, STDOUT: 1, STDERR: 2} as const
export interface StdioData {
  channel: number
  data: Buffer
}

export const stdioService = {
  streamStdio: method<Empty, StdioData, false, true>(
    '/plugin.GRPCStdio/StreamStdio',
    emptyCodec,
    {
      encode: (m) => new ProtoWriter().uint(1, m.channel).bytes(2, m.data).finish(),
      decode: (b) => {
        const fields = readFields(b)
        return {channel: fieldNumber(fields, 1), data: fieldBuffer(fields, 2) ?? EMPTY}
      },
    },
    {responseStream: true},
  ),
} satisfies ServiceDefinition

export interface ConnInfo {
  serviceId: number
  network: string
  address: string
  knock?: {knock: boolean; ack: boolean; error: string}
}

const connInfoCodec: Codec<ConnInfo> = {
  encode(m) {
    const writer = new ProtoWriter().uint(1, m.serviceId).string(2, m.network).string(3, m.address)
    if (m.knock) writer.message(4, new ProtoWriter().uint(1, m.knock.knock).uint(2, m.knock.ack).string(3, m.knock.error).finish())
    return writer.finish()
  },
  decode(b) {
    const fields = readFields(b)
    const knock = fieldBuffer(fields, 4)
    const k = knock ? readFields(knock) : undefined
    return {
      serviceId: fieldNumber(fields, 1),
      network: fieldString(fields, 2) ?? '',
      address: fieldString(fields, 3) ?? '',
      knock: k ? {knock: fieldNumber(k, 1) !== 0, ack: fieldNumber(k, 2) !== 0, error: fieldString(k, 3) ?? ''} : undefined,
    }
  },
}

export const brokerService = {
  startStream: method<ConnInfo, ConnInfo, true, true>('/plugin.GRPCBroker/StartStream', connInfoCodec, connInfoCodec, {requestStream: true, responseStream: true}),
} satisfies ServiceDefinition
