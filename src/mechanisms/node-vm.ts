// node-vm: the plugin evaluated in a context of Node's vm module, in the host's own thread. It looks like a
// sandbox (its own globals: no `process`, no `require`) and is not one: Node's docs say "The node:vm module is not
// a security mechanism. Do not use it to run untrusted code." The escape fault shows what that means.
import vm from 'node:vm'
import {samplePluginPath} from '../paths.js'
import {invoke, lookupExports, PluginError, settleIfPending, type PluginInput, type PluginOutput} from '../sample/contract.js'
import {PLUGIN_GLOBAL, pluginScript, prepareScript} from '../sandbox/plugin-script.js'
import type {LoadedPlugin, LoadOptions, Mechanism} from './types.js'

/** The Node faults a script can take (slow-start imports node:fs), and the escape. */
export const SCRIPT_FAULTS = ['throw', 'reject', 'exit', 'segfault', 'hang', 'never', 'oom', 'stdout-garbage', 'escape'] as const

// With a call timeout, a call runs as a script with vm's `timeout`, which stops a synchronous loop.
const CALL_SCRIPT = new vm.Script(`(() => {
  const plugin = globalThis.${PLUGIN_GLOBAL}
  plugin.PluginInputNumber.value = __input.number
  const message = plugin.KnownPluginFunction()
  return __input.payload === undefined ? {message} : {message, payload: plugin.Echo(__input.payload)}
})()`)

function failure(error: unknown, timeoutMs: number): PluginError {
  if ((error as {code?: string})?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return new PluginError('CALL_TIMEOUT', `the plugin's script did not finish within ${timeoutMs} ms: vm stopped it`, {cause: error})
  return new PluginError('PLUGIN_THREW', `the plugin threw: ${(error as Error)?.message ?? String(error)}`, {cause: error})
}

export async function loadNodeVm(options: LoadOptions): Promise<LoadedPlugin> {
  const script = await pluginScript(options.pluginPath ?? samplePluginPath)
  // The contextified object is one the host made, as createContext's callers do: that is the escape's door.
  const sandbox: Record<string, unknown> = {}
  const context = vm.createContext(sandbox)
  try {
    new vm.Script(script.code, {filename: script.filename}).runInContext(context)
  } catch (error) {
    throw new PluginError('PLUGIN_LOAD', `plugin ${script.filename} failed while it was evaluated: ${(error as Error).message}`, {cause: error})
  }
  const plugin = lookupExports((sandbox[PLUGIN_GLOBAL] ?? {}) as Record<string, unknown>, script.filename)
  const timeoutMs = options.callTimeoutMs ?? 0
  const callSync = (input: PluginInput): PluginOutput => {
    if (timeoutMs <= 0) return invoke(plugin, input)
    sandbox.__input = input
    try {
      return CALL_SCRIPT.runInContext(context, {timeout: timeoutMs}) as PluginOutput
    } catch (error) {
      throw failure(error, timeoutMs)
    }
  }
  return {
    callSync,
    async call(input) {
      return settleIfPending(callSync(input))
    },
    async ping() {},
    async dispose() {},
  }
}

export const nodeVm: Mechanism = {
  id: 'node-vm',
  family: 'node',
  title: "Node's vm module: the plugin in a context of its own, in the host's thread (not a security boundary)",
  floor: 'floor-direct-call',
  acceptsUserPlugin: true,
  faults: SCRIPT_FAULTS,
  async detect() {
    return {supported: true}
  },
  prepare: prepareScript,
  load: loadNodeVm,
}
