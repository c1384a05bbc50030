// The floor of the gRPC rows: a raw HTTP/2 request round trip with another process (h2c over a local socket),
// both sides on the HTTP/2 code the lean gRPC client and server use (protocol/h2-connection.ts), so the ratio
// of child-grpc over it is what gRPC adds: its framing, protobuf, trailers and the go-plugin host.
import type {HeaderList} from '../protocol/hpack.js'
import {connectedChild} from '../transport/connected-child.js'
import {noPayload} from './floor-direct-call.js'
import {EVERYWHERE, type Loadable, type Row, type Scalable} from './row.js'
import {NODE_IPC_PATHS, PIPES_ON_WINDOWS, RFC_9113} from './sources.js'
import {SCALES_BOTH} from './scale-facts.js'

export const floorHttp2: Row & Loadable & Scalable = {
  id: 'floor-http2',
  family: 'floor',
  title: "a raw HTTP/2 request round trip between two processes (h2c over a unix socket, on the lean gRPC path's HTTP/2)",
  runs: {where: 'other-process', host: 'typescript', plugin: 'typescript'},
  platforms: {support: EVERYWHERE, note: PIPES_ON_WINDOWS, sources: [RFC_9113, NODE_IPC_PATHS]},
  takesPluginPath: false,
  scale: SCALES_BOTH,
  async detect() {
    return {supported: true}
  },
  async load() {
    const {H2Connection} = await import('../protocol/h2-connection.js')
    // The echo process dials in and serves HTTP/2 on that connection; this side is the HTTP/2 client.
    const {socket, child, close} = await connectedChild('echo-http2.js')
    const connection = new H2Connection(socket)
    // The fixed fields indexed in the echo process's table, as the gRPC client's are; the path, which changes per
    // call, a literal.
    const indexed: HeaderList = [
      [':method', 'GET'],
      [':scheme', 'http'],
      [':authority', 'localhost'],
    ]
    return {
      pid: child.pid,
      call: (input) =>
        new Promise((resolve, reject) => {
          if (input.payload !== undefined) throw noPayload()
          const chunks: Buffer[] = []
          connection.request({indexed, literal: [[':path', `/${input.number}`]]}, {
            onHeaders(_headers, end) {
              if (end) resolve({message: ''})
            },
            onData(data, end) {
              chunks.push(data)
              if (end) resolve({message: Buffer.concat(chunks).toString('utf8')})
            },
            onClose: ({rstCode, error}) => reject(error ?? new Error(`the echo process reset the stream (HTTP/2 error ${rstCode})`)),
          }, undefined, true)
        }),
      ping: async () => {},
      dispose: async () => {
        connection.close()
        await close()
      },
    }
  },
}
