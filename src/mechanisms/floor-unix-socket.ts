// The floor of child-rpc: a raw newline-framed ping-pong with another process over a local socket.
import {connectedChild} from '../transport/connected-child.js'
import {lineReader} from '../transport/framing.js'
import {noPayload} from './floor-direct-call.js'
import {EVERYWHERE, type Loadable, type Row, type Scalable} from './row.js'
import {NODE_IPC_PATHS, PIPES_ON_WINDOWS} from './sources.js'
import {SCALES_BOTH} from './scale-facts.js'

export const floorUnixSocket: Row & Loadable & Scalable = {
  id: 'floor-unix-socket',
  family: 'floor',
  title: 'a raw unix-socket ping-pong between two processes',
  runs: {where: 'other-process', host: 'typescript', plugin: 'typescript'},
  platforms: {support: EVERYWHERE, note: PIPES_ON_WINDOWS, sources: [NODE_IPC_PATHS]},
  takesPluginPath: false,
  scale: SCALES_BOTH,
  async detect() {
    return {supported: true}
  },
  async load() {
    const {socket, child, close} = await connectedChild('echo-socket.js')
    // Lines come back in the order of the requests, so calls in flight (scale) are matched without ids.
    const waiting: ((line: string) => void)[] = []
    socket.on('data', lineReader((line) => waiting.shift()?.(line)))
    return {
      pid: child.pid,
      call: (input) =>
        new Promise((resolve) => {
          if (input.payload !== undefined) throw noPayload()
          waiting.push((message) => resolve({message}))
          socket.write(`${input.number}\n`)
        }),
      ping: async () => {},
      dispose: close,
    }
  },
}
