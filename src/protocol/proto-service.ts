// Any application service defined in a .proto file, for hosts and plugins beyond the sample. protobufjs is
// loaded only here, on first use, so plugins that do not need it start without it.
import type {ServiceDefinition} from '@grpc/grpc-js'
import {PluginError} from '../sample/contract.js'

export interface ProtoServiceOptions {
  /** Folders searched for imports (google/protobuf/*.proto are always found). */
  includeDirs?: string[]
}

/** The service `fullName` (e.g. `pluginsurvey.sample.v1.Sample`) of a .proto file, ready to serve or dispense. */
export async function loadProtoService(protoFile: string, fullName: string, options: ProtoServiceOptions = {}): Promise<ServiceDefinition> {
  const loader = await import('@grpc/proto-loader')
  // Field names stay as written, 64-bit integers become numbers (as the hand-written codecs do), and a field a
  // peer left out (proto3 writes no zero value) reads as its default, so a Go plugin's 0 is 0, not undefined.
  const definition = await loader.load(protoFile, {keepCase: true, longs: Number, enums: Number, defaults: true, oneofs: true, includeDirs: options.includeDirs})
  const service = definition[fullName]
  if (service === undefined || 'format' in service) {
    const services = Object.keys(definition).filter((name) => !('format' in definition[name]))
    throw new PluginError('PROTO_SERVICE_NOT_FOUND', `${protoFile} has no service ${fullName}; it defines: ${services.join(', ') || 'no service'}`)
  }
  return service as ServiceDefinition
}
