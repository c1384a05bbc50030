// node-vm: the plugin evaluated in a context of Node's vm module, in the host's own thread. It looks like a
// sandbox (its own globals: no `process`, no `require`) and is not one: Node's docs say "The node:vm module is not
// a security mechanism. Do not use it to run untrusted code." The escape fault shows what that means.
import vm from 'node:vm'
import {samplePluginPath} from '../paths.js'
import {invoke, lookupExports, PluginError, settleIfPending, type PluginInput, type PluginOutput, errorFields} from '../sample/contract.js'
import {PLUGIN_GLOBAL, pluginScript, prepareScript} from '../sandbox/plugin-script.js'
import type {LoadedPlugin, LoadOptions} from '../transport/types.js'
import {dies, survives} from './expectations.js'
import {EVERYWHERE, type Buildable, type CrashProbeable, type Loadable, type Row, type Scalable} from './row.js'
import {HOLDS_MANY_CALLS_IN_TURN} from './scale-facts.js'

const NODE_VM = 'https://nodejs.org/api/vm.html'
const NODE_VM_SOURCE =
  'Node docs, vm: "The node:vm module is not a security mechanism. Do not use it to run untrusted code"; timeout stops a script; the context shares the host\'s heap and microtask queue'

// With a call timeout, a call runs as a script with vm's `timeout`, which stops a synchronous loop.
const CALL_SCRIPT = new vm.Script(`(() => {
  const plugin = globalThis.${PLUGIN_GLOBAL}
  plugin.PluginInputNumber.value = __input.number
  const message = plugin.KnownPluginFunction()
  return __input.payload === undefined ? {message} : {message, payload: plugin.Echo(__input.payload)}
})()`)

function failure(error: unknown, timeoutMs: number): PluginError {
  if ((error as {code?: string})?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return new PluginError('CALL_TIMEOUT', `the plugin's script did not finish within ${timeoutMs} ms: vm stopped it`, {cause: error})
  return new PluginError('PLUGIN_THREW', `the plugin threw: ${errorFields(error).message}`, {cause: error})
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

export const nodeVm: Row & Loadable & Buildable & CrashProbeable & Scalable = {
  id: 'node-vm',
  family: 'node',
  title: "Node's vm module: the plugin in a context of its own, in the host's thread (not a security boundary)",
  floors: {call: 'floor-direct-call'},
  runs: {where: 'same-thread', host: 'typescript', plugin: 'typescript'},
  platforms: {support: EVERYWHERE, note: 'not a security mechanism, on any platform', sources: [NODE_VM]},
  // The Node fault modules a script can take (slow-start imports node:fs, which a context has not), and the escape.
  faults: {
    throw: survives(['PLUGIN_THREW'], NODE_VM_SOURCE, 'the host catches the throw'),
    reject: dies('HOST_DIED', NODE_VM_SOURCE, "the context shares the host's microtask queue: an unhandled rejection ends the host with exit code 1"),
    exit: survives(['PLUGIN_THREW'], NODE_VM_SOURCE, 'the context has no `process`: a ReferenceError, not an exit'),
    segfault: survives(['PLUGIN_THREW'], NODE_VM_SOURCE, 'the context has no `process` to send a signal with: a ReferenceError'),
    hang: survives(['CALL_TIMEOUT'], NODE_VM_SOURCE, "with a call timeout, calls run as a script with vm's timeout option, which stops the loop"),
    never: survives(['CALL_TIMEOUT'], NODE_VM_SOURCE, 'only with a host timeout; the pending promise leaks'),
    oom: dies('HOST_DIED', NODE_VM_SOURCE, 'the context allocates on the host\'s V8 heap: "Reached heap limit" ends the host'),
    'stdout-garbage': survives(['PLUGIN_THREW'], NODE_VM_SOURCE, 'the context has no `process.stdout`: the call fails with a ReferenceError'),
    escape: dies('HOST_DIED', NODE_VM_SOURCE, "the global object is the host's: its constructor chain gives the host's Function, and `process` with it; process.exit(3) ends the host"),
  },
  reload: {possible: true, how: 'a new context from the new version\'s script, swapped in by the careful host; the old one is collected once nothing refers to it'},
  takesPluginPath: true,
  // Each plugin a context of its own.
  scale: HOLDS_MANY_CALLS_IN_TURN,
  async detect() {
    return {supported: true}
  },
  build: prepareScript,
  load: loadNodeVm,
}
