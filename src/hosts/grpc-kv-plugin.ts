// go-plugin's own gRPC example plugin (examples/grpc in hashicorp/go-plugin: a key-value store behind the
// `proto.KV` service, handshake BASIC_PLUGIN=hello) written in TypeScript with this project's SDK. It lets
// go-plugin's example host, a host written by others, start a TypeScript plugin. Like the Go original it
// keeps each value in a file `kv_<key>` of its working directory. The service is loaded from the example's
// kv.proto, whose path is given in PLUGIN_SURVEY_KV_PROTO.
import {readFileSync, writeFileSync} from 'node:fs'
import type {ServerCall, UnaryCallback} from '../protocol/grpc-server.js'
import {loadProtoService} from '../protocol/proto-service.js'
import {requireCookie, serve} from '../protocol/serve.js'

const handshake = {protocolVersion: 1, magicCookieKey: 'BASIC_PLUGIN', magicCookieValue: 'hello'}
requireCookie(handshake)
const protoFile = process.env.PLUGIN_SURVEY_KV_PROTO
if (!protoFile) {
  process.stderr.write('PLUGIN_SURVEY_KV_PROTO must name go-plugin\'s examples/grpc/proto/kv.proto\n')
  process.exit(1)
}

const failure = (error: unknown) => ({code: 2, details: (error as Error).message})

await serve({
  handshake,
  services: [
    {
      definition: await loadProtoService(protoFile, 'proto.KV'),
      implementation: {
        Put(call: ServerCall<{key: string; value: Buffer}>, callback: UnaryCallback<object>) {
          try {
            writeFileSync(`kv_${call.request.key}`, `${call.request.value.toString('utf8')}\n\nWritten from plugin-survey's TypeScript plugin`)
            callback(null, {})
          } catch (error) {
            callback(failure(error))
          }
        },
        Get(call: ServerCall<{key: string}>, callback: UnaryCallback<{value: Buffer}>) {
          try {
            callback(null, {value: readFileSync(`kv_${call.request.key}`)})
          } catch (error) {
            callback(failure(error))
          }
        },
      },
    },
  ],
})
