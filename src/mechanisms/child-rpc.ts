import type {LeanReply} from '../transport/messages.js'
import {lastLinesOf} from '../transport/stderr-buffer.js'
import net from 'node:net'
import {rmSync} from 'node:fs'
import {missingPluginEntry, pluginEntry, samplePluginPath} from '../paths.js'
import {PluginError} from '../sample/contract.js'
import {NODE_FAULT_IDS} from '../sample/faults.js'
import {CHILD_HEAP_MB, describeExit, exitErrorCode, spawnPlugin} from '../transport/child-process.js'
import {encodeFrame, FrameDecoder} from '../transport/framing.js'
import {PendingCalls, remoteError} from '../transport/pending-calls.js'
import {freshSocketPath} from '../transport/socket-path.js'
import {DEFAULT_START_TIMEOUT_MS, type LoadedPlugin, type LoadOptions} from '../transport/types.js'
import {CHILD_PROCESS, faultsFrom, survives} from './expectations.js'
import {EVERYWHERE, type CrashProbeable, type Loadable, type Row, type Scalable} from './row.js'
import {NODE_CHILD, NODE_IPC_PATHS, NODE_PERMISSION, PIPES_ON_WINDOWS} from './sources.js'
import {SCALES_BOTH} from './scale-facts.js'


// natefinch/pie style: the host listens on a fresh socket, starts the plugin process, and the plugin connects back.
// `nodeFlags` go on the plugin process's command line (child-permission's permission model).
export async function startChildRpc(options: LoadOptions, nodeFlags: readonly string[] = []): Promise<LoadedPlugin> {
  const socketPath = freshSocketPath('ps-rpc')
  const server = net.createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(socketPath, resolve)
  })
  const child = spawnPlugin(process.execPath, [pluginEntry('child-rpc-plugin')], {
    PLUGIN_SURVEY_SOCKET: socketPath,
    PLUGIN_SURVEY_PLUGIN: options.pluginPath ?? samplePluginPath,
  }, {nodeOptions: [`--max-old-space-size=${options.heapLimitMb ?? CHILD_HEAP_MB}`, ...nodeFlags, ...(options.nodeArgs ?? [])]})
  const calls = new PendingCalls(options.callTimeoutMs)
  let socket: net.Socket | undefined

  const cleanup = () => {
    server.close()
    if (process.platform !== 'win32') rmSync(socketPath, {force: true})
  }
  const closed = child.exited.then((exit) => {
    cleanup()
    const tail = child.stderrTail()
    const error = new PluginError(exitErrorCode(exit, tail), `the plugin process ${describeExit(exit)}${tail ? `: ${lastLinesOf(tail, 3)}` : ''}`)
    calls.failAll(error)
    return error
  })

  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new PluginError('START_TIMEOUT', `the plugin process did not connect within ${options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS} ms`)), options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS)
      child.exited.then((exit) => {
        clearTimeout(timer)
        reject(new PluginError('PLUGIN_EXITED', `the plugin process ${describeExit(exit)} before it was ready${child.stderrTail() ? `: ${child.stderrTail()}` : ''}`))
      })
      server.once('connection', (connection) => {
        socket = connection
        connection.setNoDelay(true)
        const decoder = new FrameDecoder((frame) => {
          const reply = frame as LeanReply
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

export const childRpc: Row & Loadable & CrashProbeable & Scalable = {
  id: 'child-rpc',
  family: 'node',
  title: 'child process, length-prefixed JSON frames over a unix socket',
  floors: {call: 'floor-unix-socket', coldStart: 'floor-spawn'},
  runs: {where: 'other-process', host: 'typescript', plugin: 'typescript'},
  platforms: {support: EVERYWHERE, note: PIPES_ON_WINDOWS, sources: [NODE_CHILD, NODE_IPC_PATHS]},
  survey: [{subject: 'go-plugin', role: 'counterpart'}],
  faults: {
    ...faultsFrom(CHILD_PROCESS, NODE_FAULT_IDS),
    // child-permission's fault, for contrast: without the permission model the read and the spawn both succeed.
    forbidden: survives([], NODE_PERMISSION, "no permission model: the read outside the plugin's folder and the spawn both succeed, and the call answers"),
  },
  reload: {possible: true, how: 'a new plugin process with the new version; the old one exits once its calls have answered'},
  takesPluginPath: true,
  scale: SCALES_BOTH,
  async detect() {
    return missingPluginEntry('child-rpc-plugin') ?? {supported: true}
  },
  load: (options) => startChildRpc(options),
}
