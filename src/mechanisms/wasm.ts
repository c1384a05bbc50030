// The sample plugin compiled to WebAssembly (from AssemblyScript, with the compiler npm installs) and hosted
// by Node's own WebAssembly: sandboxed, in-process, and the only row whose memory the host can cap.
import {FAULT_TRIGGER, FAULT_VARIABLE} from '../sample/faults.js'
import {PluginError} from '../sample/contract.js'
import type {LoadedPlugin, LoadOptions} from '../transport/types.js'
import {buildAssemblyScriptModule, detectAssemblyScript, type WasmBuild} from '../wasm/build.js'
import {hostWasm, type WasmHostOptions} from '../wasm/host.js'
import {compileModule, WASM_FAULTS, type WasmFault} from '../wasm/instance.js'
import {WASM_SANDBOX, faultsFrom} from './expectations.js'
import {EVERYWHERE, type Buildable, type CrashProbeable, type Loadable, type Row, type Scalable} from './row.js'
import {NODE_WASI} from './sources.js'
import {HOLDS_MANY_CALLS_IN_TURN} from './scale-facts.js'

let built: Promise<WasmBuild> | undefined

// One build per process: later loads (each cold-start sample) only read and compile the cached module.
function build(): Promise<WasmBuild> {
  built ??= buildAssemblyScriptModule().catch((error: unknown) => {
    built = undefined
    throw error
  })
  return built
}

// crash-test names the fault in the environment (PLUGIN_SURVEY_FAULT) of rows that load no fault module: the
// host then calls the module's fault_<name> export on the call whose number is FAULT_TRIGGER.
export function armedFault(): WasmHostOptions['fault'] {
  const name = process.env[FAULT_VARIABLE]
  if (!name) return undefined
  if (!(WASM_FAULTS as readonly string[]).includes(name)) {
    throw new PluginError('UNKNOWN_FAULT', `${FAULT_VARIABLE}=${name} is not a wasm fault: use one of ${WASM_FAULTS.join(', ')}`)
  }
  return {name: name as WasmFault, trigger: FAULT_TRIGGER}
}

/** Loads the AssemblyScript module: in the calling thread, or in a worker when a call timeout is set. */
export async function loadWasm(options: LoadOptions): Promise<LoadedPlugin> {
  const fault = armedFault()
  // A cold start is what a host pays: read the bytes, compile them, instantiate, first call.
  const module = await compileModule((await build()).path)
  return hostWasm(module, {callTimeoutMs: options.callTimeoutMs, startTimeoutMs: options.startTimeoutMs, fault})
}

export const wasm: Row & Loadable & Buildable & CrashProbeable & Scalable = {
  id: 'wasm',
  family: 'wasm',
  title: 'WebAssembly (AssemblyScript build) in Node: the number and strings through linear memory',
  floors: {call: 'floor-direct-call'},
  runs: {where: 'sandbox', host: 'typescript', plugin: 'assemblyscript'},
  platforms: {support: EVERYWHERE, sources: [NODE_WASI]},
  faults: faultsFrom(WASM_SANDBOX, WASM_FAULTS),
  reload: {possible: true, how: 'a fresh instance of the module, swapped in by the careful host (the row takes no plugin path: the same module)'},
  takesPluginPath: false,
  // Each plugin an instance of the module, compiled for it as a load does.
  scale: HOLDS_MANY_CALLS_IN_TURN,
  async detect() {
    return detectAssemblyScript()
  },
  async build() {
    const {buildMs, cached} = await build()
    return {buildMs, cached}
  },
  load: loadWasm,
}
