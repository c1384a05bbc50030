import {Worker} from 'node:worker_threads'
import type {LeanReply} from '../transport/messages.js'
import {distPath, samplePluginPath} from '../paths.js'
import {PluginError} from '../sample/contract.js'
import {NODE_FAULT_IDS} from '../sample/faults.js'
import {PendingCalls, remoteError} from '../transport/pending-calls.js'
import {DEFAULT_START_TIMEOUT_MS, type LoadedPlugin, type LoadOptions} from '../transport/types.js'
import {NODE_WORKER_THREAD, faultsFrom} from './expectations.js'
import {EVERYWHERE, type CrashProbeable, type Loadable, type Row, type Scalable} from './row.js'
import {NODE_WORKERS} from './sources.js'
import {SCALES_BOTH} from './scale-facts.js'

/** Heap cap of a plugin's worker: a runaway plugin ends its own thread (ERR_WORKER_OUT_OF_MEMORY), not the host. */
export const WORKER_HEAP_MB = 256

export async function startWorker(options: LoadOptions): Promise<LoadedPlugin> {
  const worker = new Worker(distPath('src', 'hosts', 'worker-entry.js'), {
    workerData: {pluginPath: options.pluginPath ?? samplePluginPath},
    resourceLimits: {maxOldGenerationSizeMb: options.heapLimitMb ?? WORKER_HEAP_MB},
    stdout: false,
    stderr: false,
  })
  const calls = new PendingCalls(options.callTimeoutMs)
  let exited = false
  let closedWith: (error: Error) => void = () => {}
  const closed = new Promise<Error>((resolve) => (closedWith = resolve))
  const ready = new Promise<void>((resolve, reject) => {
    const startTimer = setTimeout(() => {
      reject(new PluginError('START_TIMEOUT', `the worker did not load the plugin within ${options.startTimeoutMs} ms`))
      void worker.terminate()
    }, options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS)
    worker.on('message', (message: LeanReply) => {
      if (message.ready !== undefined) {
        clearTimeout(startTimer)
        if (message.ready) resolve()
        else {
          reject(remoteError(message.e ?? {}))
          void worker.terminate()
        }
        return
      }
      calls.settle(message.id!, {message: message.m!, payload: message.p}, message.e ? remoteError(message.e) : undefined)
    })
    const fail = (error: PluginError) => {
      clearTimeout(startTimer)
      calls.failAll(error)
      closedWith(error)
      reject(error)
    }
    worker.on('error', (error: Error & {code?: string}) => {
      fail(new PluginError(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'PLUGIN_OOM' : 'PLUGIN_CRASHED', `the plugin's worker failed: ${error.message}`, {cause: error}))
    })
    worker.on('exit', (code) => {
      exited = true
      fail(new PluginError('PLUGIN_EXITED', `the plugin's worker exited with code ${code}`))
    })
  })
  await ready
  return {
    call(input) {
      const {id, reply} = calls.open()
      if (!exited) worker.postMessage({id, n: input.number, p: input.payload})
      return reply
    },
    async ping() {
      if (exited) throw new PluginError('PLUGIN_EXITED', 'the plugin\'s worker has exited')
    },
    async dispose() {
      if (!exited) await worker.terminate()
    },
    closed,
    async kill() {
      if (!exited) await worker.terminate()
    },
  }
}

export const workerThread: Row & Loadable & CrashProbeable & Scalable = {
  id: 'worker-thread',
  family: 'node',
  title: 'worker_threads Worker, postMessage with call ids',
  floors: {call: 'floor-postmessage', coldStart: 'floor-postmessage'},
  runs: {where: 'other-thread', host: 'typescript', plugin: 'typescript'},
  platforms: {support: EVERYWHERE, sources: [NODE_WORKERS]},
  faults: faultsFrom(NODE_WORKER_THREAD, NODE_FAULT_IDS),
  reload: {possible: true, how: 'a new Worker with the new version; the old one is terminated once its calls have answered'},
  takesPluginPath: true,
  scale: SCALES_BOTH,
  async detect() {
    return {supported: true}
  },
  load: startWorker,
}
