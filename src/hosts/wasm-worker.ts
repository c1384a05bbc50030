// Runs inside a Worker: instantiates the wasm plugin and answers {id, n, p, f} with {id, m, p} or {id, e}.
// A host puts a wasm plugin here only to be able to stop a call: a loop in wasm ends only with its thread.
import type {LeanCall} from '../transport/messages.js'
import {codedError} from '../sample/contract.js'
import {parentPort, workerData} from 'node:worker_threads'
import {instantiate, prepareImports, type WasmFault, type WasmInstance} from '../wasm/instance.js'

const port = parentPort!
const {module, limitPages} = workerData as {module: WebAssembly.Module; limitPages: number}
let instance: WasmInstance | undefined

const reportError = (id: number | undefined, error: unknown) => {
  port.postMessage({id, ready: id === undefined ? false : undefined, e: codedError(error, 'PLUGIN_ERROR')})
}

try {
  await prepareImports(module)
  instance = instantiate(module, limitPages)
  port.on('message', (request: LeanCall & {f?: WasmFault}) => {
    try {
      // After a failed call the instance is not trusted: the next call gets a fresh one.
      instance ??= instantiate(module, limitPages)
      if (request.f) instance.fault(request.f)
      const output = instance.call({number: request.n, payload: request.p})
      port.postMessage({id: request.id, m: output.message, p: output.payload})
    } catch (error) {
      instance = undefined
      reportError(request.id, error)
    }
  })
  port.postMessage({ready: true})
} catch (error) {
  reportError(undefined, error)
}
