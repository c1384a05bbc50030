import net from 'node:net'
import {rmSync} from 'node:fs'
import {distPath, samplePluginPath} from '../paths.js'
import {PluginError} from '../sample/contract.js'
import {describeExit, exitErrorCode, spawnPlugin} from './child-process.js'
import {encodeFrame, FrameDecoder} from './framing.js'
import {PendingCalls, remoteError} from './pending-calls.js'
import {freshSocketPath} from './socket-path.js'
import type {LoadedPlugin, LoadOptions, Mechanism} from './types.js'

/** Heap cap of a plugin process: a runaway plugin dies alone instead of eating the machine. */
export const CHILD_HEAP_MB = 256

type Reply = {id?: number; ready?: boolean; m?: string; p?: string; e?: {code?: string; message?: string}}

// natefinch/pie style: the host listens on a fresh socket, starts the plugin process, and the plugin connects back.
export async function startChildRpc(options: LoadOptions): Promise<LoadedPlugin> {
  const socketPath = freshSocketPath('ps-rpc')
  const server = net.createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(socketPath, resolve)
  })
  const child = spawnPlugin(process.execPath, [distPath('src', 'hosts', 'child-rpc-plugin.js')], {
    PLUGIN_SURVEY_SOCKET: socketPath,
    PLUGIN_SURVEY_PLUGIN: options.pluginPath ?? samplePluginPath,
  }, {nodeOptions: [`--max-old-space-size=${options.heapLimitMb ?? CHILD_HEAP_MB}`, ...(options.nodeArgs ?? [])]})
  const calls = new PendingCalls(options.callTimeoutMs)
  let socket: net.Socket | undefined

  const cleanup = () => {
    server.close()
    if (process.platform !== 'win32') rmSync(socketPath, {force: true})
  }
  const closed = child.exited.then((exit) => {
    cleanup()
    const tail = child.stderrTail()
    const error = new PluginError(exitErrorCode(exit, tail), `the plugin process ${describeExit(exit)}${tail ? `: ${tail.split('\n').slice(-3).join(' | ')}` : ''}`)
    calls.failAll(error)
    return error
  })

  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new PluginError('START_TIMEOUT', `the plugin process did not connect within ${options.startTimeoutMs ?? 60_000} ms`)), options.startTimeoutMs ?? 60_000)
      child.exited.then((exit) => {
        clearTimeout(timer)
        reject(new PluginError('PLUGIN_EXITED', `the plugin process ${describeExit(exit)} before it was ready${child.stderrTail() ? `: ${child.stderrTail()}` : ''}`))
      })
      server.once('connection', (connection) => {
        socket = connection
        connection.setNoDelay(true)
        const decoder = new FrameDecoder((frame) => {
          const reply = frame as Reply
          if (reply.ready !== undefined) {
            clearTimeout(timer)
            if (reply.ready) resolve()
            else reject(remoteError(reply.e ?? {}))
            return
          }
          calls.settle(reply.id!, {message: reply.m!, payload: reply.p}, reply.e ? remoteError(reply.e) : undefined)
        })
        connection.on('data', (chunk: Buffer) => decoder.push(chunk))
        connection.on('error', () => {})
      })
    })
  } catch (error) {
    await child.stop(500)
    cleanup()
    throw error
  }

  return {
    pid: child.pid,
    call(input) {
      const {id, reply} = calls.open()
      if (!child.hasExited) socket!.write(encodeFrame({id, n: input.number, p: input.payload}))
      return reply
    },
    async ping() {
      if (child.hasExited) throw new PluginError('PLUGIN_EXITED', 'the plugin process has exited')
    },
    async dispose() {
      // Closing the connection is the plugin's cue to exit; the signal is only the fallback.
      socket?.end()
      const timer = setTimeout(() => void child.stop(2000), 1000)
      await child.exited
      clearTimeout(timer)
      cleanup()
    },
    closed,
    async kill() {
      await child.stop(0)
      cleanup()
    },
  }
}

export const childRpc: Mechanism = {
  id: 'child-rpc',
  family: 'node',
  title: 'child process, length-prefixed JSON frames over a unix socket',
  floor: 'floor-unix-socket',
  coldStartFloor: 'floor-spawn',
  acceptsUserPlugin: true,
  async detect() {
    return {supported: true}
  },
  load: startChildRpc,
}
