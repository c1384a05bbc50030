// Runs inside the Worker: loads the plugin module and answers {id, n, p} messages with {id, m, p} or {id, e}.
import {parentPort, workerData} from 'node:worker_threads'
import {invoke} from '../sample/contract.js'
import {loadPluginModule} from '../mechanisms/load-module.js'

const port = parentPort!
try {
  const plugin = await loadPluginModule((workerData as {pluginPath: string}).pluginPath)
  port.on('message', (request: {id: number; n: number; p?: string}) => {
    try {
      const output = invoke(plugin, {number: request.n, payload: request.p})
      port.postMessage({id: request.id, m: output.message, p: output.payload})
    } catch (error) {
      const e = error as {code?: string; message?: string}
      port.postMessage({id: request.id, e: {code: e.code ?? 'PLUGIN_THREW', message: String(e.message ?? error)}})
    }
  })
  port.postMessage({ready: true})
} catch (error) {
  const e = error as {code?: string; message?: string}
  port.postMessage({ready: false, e: {code: e.code ?? 'PLUGIN_LOAD', message: String(e.message ?? error)}})
}
