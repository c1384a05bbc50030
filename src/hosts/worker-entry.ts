// Runs inside the Worker: loads the plugin module and answers {id, n, p} messages with {id, m, p} or {id, e}.
import {parentPort, workerData} from 'node:worker_threads'
import {invoke, isPending, settleOutput, type PluginOutput} from '../sample/contract.js'
import {loadPluginModule} from '../transport/load-module.js'
import {answer, errorBody, type CallMessage, type Reply} from '../transport/messages.js'

const port = parentPort!
try {
  const plugin = await loadPluginModule((workerData as {pluginPath: string}).pluginPath)
  const fail = (id: number, error: unknown) => port.postMessage({id, e: errorBody(error, 'PLUGIN_THREW')} satisfies Reply)
  const reply = (id: number, output: PluginOutput) => port.postMessage(answer(id, output))
  port.on('message', (request: CallMessage) => {
    try {
      const output = invoke(plugin, {number: request.n, payload: request.p})
      // An async plugin answers later (or never); the synchronous path stays as it is.
      if (isPending(output)) settleOutput(output).then((settled) => reply(request.id, settled), (error: unknown) => fail(request.id, error))
      else reply(request.id, output)
    } catch (error) {
      fail(request.id, error)
    }
  })
  port.postMessage({ready: true} satisfies Reply)
} catch (error) {
  port.postMessage({ready: false, e: errorBody(error, 'PLUGIN_LOAD')} satisfies Reply)
}
