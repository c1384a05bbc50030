// The floor of child-rpc: a raw newline-framed ping-pong with another process over a local socket.
import {connectedChild} from '../transport/connected-child.js'
import {noPayload} from './floor-direct-call.js'
import {EVERYWHERE, type Loadable, type Row} from './row.js'
import {NODE_IPC_PATHS, PIPES_ON_WINDOWS} from './sources.js'

export const floorUnixSocket: Row & Loadable = {
  id: 'floor-unix-socket',
  family: 'floor',
  title: 'a raw unix-socket ping-pong between two processes',
  runs: {where: 'other-process', host: 'typescript', plugin: 'typescript'},
  platforms: {support: EVERYWHERE, note: PIPES_ON_WINDOWS, sources: [NODE_IPC_PATHS]},
  takesPluginPath: false,
  async detect() {
    return {supported: true}
  },
  async load() {
    const {socket, child, close} = await connectedChild('echo-socket.js')
    let waiting: ((line: string) => void) | undefined
    let buffered = ''
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8')
      const newline = buffered.indexOf('\n')
      if (newline >= 0) {
        const line = buffered.slice(0, newline)
        buffered = buffered.slice(newline + 1)
        waiting?.(line)
      }
    })
    return {
      pid: child.pid,
      call: (input) =>
        new Promise((resolve) => {
          if (input.payload !== undefined) throw noPayload()
          waiting = (message) => resolve({message})
          socket.write(`${input.number}\n`)
        }),
      ping: async () => {},
      dispose: close,
    }
  },
}
