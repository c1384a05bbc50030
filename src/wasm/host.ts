// Hosting a compiled wasm plugin in Node, two ways. In the calling thread (the default): a call is a plain
// function call, and a plugin stuck in a loop freezes its host. In a Worker (when the host sets a call
// timeout): each call is a postMessage round trip, and a stuck plugin is stopped by terminating the thread.
import {Worker} from 'node:worker_threads'
import type {LeanReply} from '../transport/messages.js'
import {distPath} from '../paths.js'
import {PluginError, type PluginInput} from '../sample/contract.js'
import {PendingCalls, remoteError} from '../transport/pending-calls.js'
import {DEFAULT_START_TIMEOUT_MS, type LoadedPlugin} from '../transport/types.js'
import {instantiate, MEMORY_LIMIT_PAGES, type WasmFault, type WasmInstance} from './instance.js'

export interface WasmHostOptions {
  limitPages?: number
  /** 0 or unset: the plugin runs in the calling thread and a call cannot be stopped. */
  callTimeoutMs?: number
  startTimeoutMs?: number
  /** Crash-test: the call whose number is `trigger` runs the module's fault_<name> export first. */
  fault?: {name: WasmFault; trigger: number}
}

export async function hostWasm(module: WebAssembly.Module, options: WasmHostOptions = {}): Promise<LoadedPlugin> {
  return options.callTimeoutMs ? hostInWorker(module, options) : hostInThread(module, options)
}

function armed(options: WasmHostOptions, input: PluginInput): WasmFault | undefined {
  return options.fault && input.number === options.fault.trigger ? options.fault.name : undefined
}

function hostInThread(module: WebAssembly.Module, options: WasmHostOptions): LoadedPlugin {
  const limitPages = options.limitPages ?? MEMORY_LIMIT_PAGES
  let instance: WasmInstance | undefined = instantiate(module, limitPages)
  const callSync = (input: PluginInput) => {
    // After a trap the instance's state is not trusted: the next call gets a fresh one (instantiation is cheap).
    instance ??= instantiate(module, limitPages)
    try {
      const fault = armed(options, input)
      if (fault) instance.fault(fault)
      return instance.call(input)
    } catch (error) {
      instance = undefined
      throw error
    }
  }
  return {
    callSync,
    call: async (input) => callSync(input),
    ping: async () => {},
    dispose: async () => {
      instance = undefined
    },
  }
}

async function hostInWorker(module: WebAssembly.Module, options: WasmHostOptions): Promise<LoadedPlugin> {
  let worker = await startWorker(module, options)
  let restarting: Promise<WasmWorker> | undefined
  let disposed = false
  // One new worker however many calls find the old one gone.
  const live = async () => {
    if (!worker.gone) return worker
    restarting ??= startWorker(module, options).finally(() => {
      restarting = undefined
    })
    worker = await restarting
    return worker
  }
  const call = async (input: PluginInput) => {
    if (disposed) throw new PluginError('PLUGIN_DISPOSED', 'the plugin was disposed')
    const current = await live()
    const {id, reply} = current.calls.open()
    current.thread.postMessage({id, n: input.number, p: input.payload, f: armed(options, input)})
    return reply.catch(async (error: PluginError) => {
      // A call past its timeout is still running in the worker: only ending the thread stops it.
      if (error.code === 'CALL_TIMEOUT') await current.stop(error)
      throw error
    })
  }
  return {
    call,
    ping: async () => {
      if (worker.gone) throw new PluginError('PLUGIN_EXITED', "the plugin's worker has ended")
    },
    kill: async () => worker.stop(new PluginError('PLUGIN_KILLED', 'the host terminated the plugin')),
    dispose: async () => {
      disposed = true
      const reason = new PluginError('PLUGIN_DISPOSED', 'the plugin was disposed')
      const starting = await restarting?.catch(() => undefined)
      await Promise.all([worker.stop(reason), starting?.stop(reason)])
    },
  }
}

interface WasmWorker {
  thread: Worker
  calls: PendingCalls
  gone: boolean
  stop(reason: PluginError): Promise<void>
}

async function startWorker(module: WebAssembly.Module, options: WasmHostOptions): Promise<WasmWorker> {
  const thread = new Worker(distPath('src', 'hosts', 'wasm-worker.js'), {
    workerData: {module, limitPages: options.limitPages ?? MEMORY_LIMIT_PAGES},
    stdout: false,
    stderr: false,
  })
  const calls = new PendingCalls(options.callTimeoutMs)
  const state: WasmWorker = {
    thread,
    calls,
    gone: false,
    async stop(reason) {
      state.gone = true
      calls.failAll(reason)
      await thread.terminate()
    },
  }
  await new Promise<void>((resolve, reject) => {
    const startTimer = setTimeout(() => {
      reject(new PluginError('START_TIMEOUT', `the wasm worker did not start within ${options.startTimeoutMs} ms`))
      void state.stop(new PluginError('START_TIMEOUT', 'the wasm worker did not start'))
    }, options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS)
    thread.on('message', (message: LeanReply) => {
      if (message.id === undefined) {
        clearTimeout(startTimer)
        if (message.ready) resolve()
        else {
          reject(remoteError(message.e ?? {}))
          void state.stop(remoteError(message.e ?? {}))
        }
        return
      }
      calls.settle(message.id, {message: message.m!, payload: message.p}, message.e ? remoteError(message.e) : undefined)
    })
    const ended = (error: PluginError) => {
      clearTimeout(startTimer)
      state.gone = true
      calls.failAll(error)
      reject(error)
    }
    thread.on('error', (error) => ended(new PluginError('PLUGIN_CRASHED', `the wasm worker failed: ${error.message}`, {cause: error})))
    thread.on('exit', (code) => ended(new PluginError('PLUGIN_EXITED', `the wasm worker exited with code ${code}`)))
  })
  return state
}
