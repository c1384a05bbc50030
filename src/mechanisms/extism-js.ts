// extism-js: the sample's Extism plugin (the same .wasm as go-extism) under Extism's JavaScript host SDK in Node:
// beside the wasm row (the same engine, V8's WebAssembly, without the framework), what Extism itself costs. The
// SDK (1.0.3) has neither a call timeout nor a memory limit: with a call timeout the host runs the plugin in the
// SDK's worker (runInWorker) and closes it, which terminates the worker, when a call overruns.
import {readFile} from 'node:fs/promises'
import type {Plugin} from '@extism/extism'
import {PluginError, type PluginInput, type PluginOutput, errorFields} from '../sample/contract.js'
import type {LoadedPlugin, LoadOptions} from '../transport/types.js'
import {buildExtismPlugin, detectExtismPdk, type WasmBuild} from '../wasm/build.js'
import {WASM_SANDBOX, faultsFrom, survives} from './expectations.js'
import {EVERYWHERE, type Buildable, type CrashProbeable, type Loadable, type Row, type Scalable} from './row.js'
import {EXTISM, EXTISM_JS_SDK} from './sources.js'
import {armedFault} from './wasm.js'

let built: Promise<WasmBuild> | undefined

// One build per process: later loads (each cold-start sample) only read the cached plugin.
function build(): Promise<WasmBuild> {
  built ??= buildExtismPlugin().catch((error: unknown) => {
    built = undefined
    throw error
  })
  return built
}

function failure(error: unknown): PluginError {
  if (error instanceof PluginError) return error
  return new PluginError('PLUGIN_TRAP', `the plugin failed: ${errorFields(error).message}`, {cause: error})
}

export async function loadExtismJs(options: LoadOptions): Promise<LoadedPlugin> {
  const fault = armedFault()
  const wasm = await readFile((await build()).path)
  const timeoutMs = options.callTimeoutMs ?? 0
  // Imported on first use: the SDK imports node:wasi, whose ExperimentalWarning every command would print.
  const {default: createPlugin} = await import('@extism/extism')
  const create = () => createPlugin({wasm: [{data: wasm}]}, {useWasi: false, runInWorker: timeoutMs > 0})
  let plugin: Plugin | undefined = await create()
  let disposed = false
  // A plugin whose call failed or overran is closed; the next call gets a new one.
  const retire = async (which: Plugin) => {
    if (plugin === which) plugin = undefined
    await which.close().catch(() => {})
  }
  const invoke = async (which: Plugin, name: string, input: string): Promise<string> => {
    let timer: NodeJS.Timeout | undefined
    const overrun = new Promise<never>((_, reject) => {
      if (timeoutMs > 0) timer = setTimeout(() => reject(new PluginError('CALL_TIMEOUT', `the plugin did not return within ${timeoutMs} ms: the host closed it (its worker is terminated)`)), timeoutMs)
    })
    try {
      const output = await Promise.race([which.call(name, input), overrun])
      if (output === null) throw new PluginError('PLUGIN_ERROR', `${name} returned no output`)
      const text = output.text()
      // The SDK keeps every block a call allocated until reset(); addresses are the block's index << 48, so
      // without it the 32768th block's address overflows an i64 and the plugin fails ("cannot assign to this block").
      await which.reset()
      return text
    } catch (error) {
      await retire(which)
      throw failure(error)
    } finally {
      clearTimeout(timer)
    }
  }
  const callOnce = async (input: PluginInput): Promise<PluginOutput> => {
    if (disposed) throw new PluginError('PLUGIN_EXITED', 'the plugin was disposed')
    plugin ??= await create()
    const which = plugin
    const name = fault !== undefined && input.number === fault.trigger ? `fault_${fault.name}` : 'known_plugin_function'
    const message = await invoke(which, name, String(input.number))
    if (input.payload === undefined) return {message}
    return {message, payload: await invoke(which, 'echo', input.payload)}
  }
  // An Extism plugin is one instance with one input and one output slot: calls take turns (the SDKs say plugins
  // are not safe to call concurrently), so callers that overlap queue here.
  let turn: Promise<unknown> = Promise.resolve()
  return {
    call(input: PluginInput): Promise<PluginOutput> {
      const result = turn.then(() => callOnce(input))
      turn = result.catch(() => {})
      return result
    },
    async ping() {},
    async dispose() {
      disposed = true
      if (plugin !== undefined) await retire(plugin)
    },
  }
}

export const extismJs: Row & Loadable & Buildable & CrashProbeable & Scalable = {
  id: 'extism-js',
  family: 'wasm',
  title: "an Extism plugin (AssemblyScript) in Node with Extism's JavaScript SDK",
  floors: {call: 'floor-direct-call'},
  runs: {where: 'sandbox', host: 'typescript', plugin: 'assemblyscript'},
  platforms: {support: EVERYWHERE, note: 'Node, Deno, Bun and browsers', sources: [EXTISM_JS_SDK]},
  // The plugin's fault_<name> exports (fixtures/wasm/extism-plugin.ts), armed by name.
  faults: {
    ...faultsFrom(WASM_SANDBOX, ['trap']),
    hang: survives(['CALL_TIMEOUT'], EXTISM, "CALL_TIMEOUT: the SDK has no timeout: with a call timeout the host runs the plugin in the SDK's worker (runInWorker) and closes it, which terminates the worker"),
    oom: survives(['CALL_TIMEOUT'], EXTISM, "CALL_TIMEOUT: the SDK has no memory limit: the plugin grows until the host's call timeout closes it (or wasm32's 4 GiB)"),
  },
  reload: {possible: true, how: 'a new plugin from the same .wasm, swapped in by the careful host (the row takes no plugin path: the same plugin)'},
  takesPluginPath: false,
  // Each plugin a createPlugin of its own.
  scale: {
    instances: {supported: true},
    calls: {supported: false, reason: 'an Extism plugin is one instance with one input and one output slot: the host queues its calls, so C callers would only take turns'},
  },
  async detect() {
    return detectExtismPdk()
  },
  async build() {
    const {buildMs, cached} = await build()
    return {buildMs, cached}
  },
  load: loadExtismJs,
}
