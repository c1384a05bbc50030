// The floor of the gRPC rows: a raw node:http2 request round trip with another process (h2c over a local socket).
import {connectedChild} from '../transport/connected-child.js'
import {noPayload} from './floor-direct-call.js'
import {EVERYWHERE, type Loadable, type Row, type Scalable} from './row.js'
import {NODE_HTTP2, NODE_IPC_PATHS, PIPES_ON_WINDOWS} from './sources.js'
import {SCALES_BOTH} from './scale-facts.js'

export const floorHttp2: Row & Loadable & Scalable = {
  id: 'floor-http2',
  family: 'floor',
  title: 'a raw node:http2 request round trip between two processes (h2c over a unix socket)',
  runs: {where: 'other-process', host: 'typescript', plugin: 'typescript'},
  platforms: {support: EVERYWHERE, note: PIPES_ON_WINDOWS, sources: [NODE_HTTP2, NODE_IPC_PATHS]},
  takesPluginPath: false,
  scale: SCALES_BOTH,
  async detect() {
    return {supported: true}
  },
  async load() {
    const http2 = await import('node:http2')
    // The echo process dials in and serves HTTP/2 on that connection; this side is the HTTP/2 client.
    const {socket, child, close} = await connectedChild('echo-http2.js')
    const session = http2.connect('http://localhost', {createConnection: () => socket})
    return {
      pid: child.pid,
      call: (input) =>
        new Promise((resolve, reject) => {
          if (input.payload !== undefined) throw noPayload()
          const request = session.request({':path': `/${input.number}`})
          let message = ''
          request.setEncoding('utf8')
          request.on('data', (chunk: string) => (message += chunk))
          request.on('end', () => resolve({message}))
          request.on('error', reject)
        }),
      ping: async () => {},
      dispose: async () => {
        session.close()
        await close()
      },
    }
  },
}
