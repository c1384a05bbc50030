// The sample service of proto/sample.proto with hand-written codecs (checked against the .proto in tests).
import type {ServiceDefinition} from '@grpc/grpc-js'
import {method} from './services.js'
import {ProtoReader, ProtoWriter} from './wire.js'

export interface CallRequest {
  number: number
  payload?: string
}

export interface CallResponse {
  message: string
  payload?: string
}

export const SAMPLE_SERVICE_NAME = 'pluginsurvey.sample.v1.Sample'

/** What plugin and host share, in every language: the sample's go-plugin handshake (fixtures/go/goplugin). */
export const sampleHandshake = {protocolVersion: 1, magicCookieKey: 'PLUGIN_SURVEY_MAGIC_COOKIE', magicCookieValue: 'sample-printer'} as const

export const sampleService = {
  call: method<CallRequest, CallResponse>(
    `/${SAMPLE_SERVICE_NAME}/Call`,
    {
      encode: (m) => new ProtoWriter().uint(1, m.number).string(2, m.payload, true).finish(),
      // Field by field (a call's decode is on every call's path); a field of another wire type is an unknown field.
      decode: (b) => {
        const reader = new ProtoReader(b)
        let number = 0
        let payload: string | undefined
        while (reader.next()) {
          if (reader.field === 1 && reader.wireType === 0) number = reader.int64
          else if (reader.field === 2 && reader.wireType === 2) payload = reader.string()
        }
        return {number, payload}
      },
    },
    {
      encode: (m) => new ProtoWriter().string(1, m.message).string(2, m.payload, true).finish(),
      decode: (b) => {
        const reader = new ProtoReader(b)
        let message = ''
        let payload: string | undefined
        while (reader.next()) {
          if (reader.field === 1 && reader.wireType === 2) message = reader.string()
          else if (reader.field === 2 && reader.wireType === 2) payload = reader.string()
        }
        return {message, payload}
      },
    },
  ),
} satisfies ServiceDefinition
