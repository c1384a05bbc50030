// Floors: the bare cost of each transport, measured in the same run so every mechanism's overhead is a ratio.
// Each floor does the sample's own work (format the message) and nothing else: no ids, no framing, no checks.
import net from 'node:net'
import {rmSync} from 'node:fs'
import {Worker} from 'node:worker_threads'
import {execa} from 'execa'
import {distPath} from '../paths.js'
import {PluginError, type PluginInput, type PluginOutput} from '../sample/contract.js'
import {spawnPlugin, type PluginProcess} from '../transport/child-process.js'
import {freshSocketPath} from '../transport/socket-path.js'
import type {LoadedPlugin, Mechanism} from './types.js'

const always = async () => ({supported: true as const})
const noPayload = () => new PluginError('NO_PAYLOAD', 'floors measure the bare transport and carry no payload')

export const floorDirectCall: Mechanism = {
  id: 'floor-direct-call',
  family: 'floor',
  title: 'a plain function call in the host',
  detect: always,
  async load(): Promise<LoadedPlugin> {
    const callSync = (input: PluginInput): PluginOutput => {
      if (input.payload !== undefined) throw noPayload()
      return {message: `My custom code prints PluginInputNumber: ${input.number}`}
    }
    return {callSync, call: async (input) => callSync(input), ping: async () => {}, dispose: async () => {}}
  },
}

export const floorPostMessage: Mechanism = {
  id: 'floor-postmessage',
  family: 'floor',
  title: 'a raw worker postMessage round trip',
  detect: always,
  async load(): Promise<LoadedPlugin> {
    const worker = new Worker(distPath('src', 'hosts', 'echo-worker.js'))
    await new Promise<void>((resolve, reject) => {
      worker.once('online', resolve)
      worker.once('error', reject)
    })
    // One listener for the worker's life: adding and removing one per call would stop and restart the port.
    let waiting: ((message: string) => void) | undefined
    worker.on('message', (message: string) => waiting?.(message))
    return {
      call: (input) =>
        new Promise((resolve) => {
          if (input.payload !== undefined) throw noPayload()
          waiting = (message) => resolve({message})
          worker.postMessage(input.number)
        }),
      ping: async () => {},
      dispose: async () => {
        await worker.terminate()
      },
    }
  },
}

// Listens on a fresh socket, starts an echo process from src/hosts that dials in, and returns the connection.
async function connectedEchoProcess(entry: string): Promise<{socket: net.Socket; child: PluginProcess; close(): Promise<void>}> {
  const socketPath = freshSocketPath('ps-floor')
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(socketPath, resolve))
  const child = spawnPlugin(process.execPath, [distPath('src', 'hosts', entry)], {PLUGIN_SURVEY_SOCKET: socketPath})
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    server.once('connection', resolve)
    child.exited.then(() => reject(new PluginError('PLUGIN_EXITED', `the ${entry} echo process exited: ${child.stderrTail()}`)))
  })
  socket.setNoDelay(true)
  return {
    socket,
    child,
    async close() {
      socket.end()
      await child.stop(1000)
      server.close()
      if (process.platform !== 'win32') rmSync(socketPath, {force: true})
    },
  }
}

export const floorUnixSocket: Mechanism = {
  id: 'floor-unix-socket',
  family: 'floor',
  title: 'a raw unix-socket ping-pong between two processes',
  detect: always,
  async load(): Promise<LoadedPlugin> {
    const {socket, child, close} = await connectedEchoProcess('echo-socket.js')
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

export const floorSpawn: Mechanism = {
  id: 'floor-spawn',
  family: 'floor',
  title: 'spawn `node -e 0` and wait for it to exit',
  kind: 'spawn',
  detect: always,
  async load(): Promise<LoadedPlugin> {
    await execa(process.execPath, ['-e', '0'], {stdin: 'ignore'})
    const done = async () => {}
    return {call: async () => Promise.reject(new PluginError('NO_CALLS', 'the spawn floor has no calls')), ping: done, dispose: done}
  },
}

export const floorHttp2: Mechanism = {
  id: 'floor-http2',
  family: 'floor',
  title: 'a raw node:http2 request round trip between two processes (h2c over a unix socket)',
  detect: always,
  async load(): Promise<LoadedPlugin> {
    const http2 = await import('node:http2')
    // The echo process dials in and serves HTTP/2 on that connection; this side is the HTTP/2 client.
    const {socket, child, close} = await connectedEchoProcess('echo-http2.js')
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
