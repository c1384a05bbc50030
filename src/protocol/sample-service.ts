// The sample service of proto/sample.proto with hand-written codecs (checked against the .proto in tests).
import type {ServiceDefinition} from '@grpc/grpc-js'
import {method} from './services.js'
import {fieldNumber, fieldString, ProtoWriter, readFields} from './wire.js'

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
      decode: (b) => {
        const fields = readFields(b)
        return {number: fieldNumber(fields, 1), payload: fieldString(fields, 2)}
      },
    },
    {
      encode: (m) => new ProtoWriter().string(1, m.message).string(2, m.payload, true).finish(),
      decode: (b) => {
        const fields = readFields(b)
        return {message: fieldString(fields, 1) ?? '', payload: fieldString(fields, 2)}
      },
    },
  ),
} satisfies ServiceDefinition
