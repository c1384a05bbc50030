// Runs inside the Worker: loads the plugin module and answers {id, n, p} messages with {id, m, p} or {id, e}.
import {parentPort, workerData} from 'node:worker_threads'
import type {LeanCall} from '../transport/messages.js'
import {invoke, isPending, settleOutput, type PluginOutput, codedError} from '../sample/contract.js'
import {loadPluginModule} from '../transport/load-module.js'

const port = parentPort!
try {
  const plugin = await loadPluginModule((workerData as {pluginPath: string}).pluginPath)
  const fail = (id: number, error: unknown) => {
    port.postMessage({id, e: codedError(error, 'PLUGIN_THREW')})
  }
  const reply = (id: number, output: PluginOutput) => port.postMessage({id, m: output.message, p: output.payload})
  port.on('message', (request: LeanCall) => {
    try {
      const output = invoke(plugin, {number: request.n, payload: request.p})
      // An async plugin answers later (or never); the synchronous path stays as it is.
      if (isPending(output)) settleOutput(output).then((settled) => reply(request.id, settled), (error: unknown) => fail(request.id, error))
      else reply(request.id, output)
    } catch (error) {
      fail(request.id, error)
    }
  })
  port.postMessage({ready: true})
} catch (error) {
  port.postMessage({ready: false, e: codedError(error, 'PLUGIN_LOAD')})
}
