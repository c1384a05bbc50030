// quickjs: the plugin run by QuickJS, a JavaScript engine compiled to WebAssembly (quickjs-emscripten), in the
// host's own thread: a realm with no `process`, no `require` and no host objects, an engine of its own whose
// WebAssembly memory has a maximum, and an interrupt handler the host uses to stop a call that overruns its timeout.
import {readFile} from 'node:fs/promises'
import {createRequire} from 'node:module'
import type {QuickJSContext, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule} from 'quickjs-emscripten'
import {samplePluginPath} from '../paths.js'
import {PluginError, type PluginInput, type PluginOutput} from '../sample/contract.js'
import {PLUGIN_GLOBAL, pluginScript, prepareScript} from '../sandbox/plugin-script.js'
import type {LoadedPlugin, LoadOptions} from '../transport/types.js'
import {survives} from './expectations.js'
import {EVERYWHERE, type Buildable, type CrashProbeable, type Loadable, type Row, type Scalable} from './row.js'
import {HOLDS_MANY_CALLS_IN_TURN} from './scale-facts.js'

const QUICKJS_EMSCRIPTEN = 'https://github.com/justjake/quickjs-emscripten'
const QUICKJS_SOURCE = 'quickjs-emscripten README: runtime.setMemoryLimit, runtime.setInterruptHandler (shouldInterruptAfterDeadline); a QuickJS realm has only the ECMAScript globals'
const MEMORY_CAP_SOURCE =
  'quickjs-emscripten CustomizeVariantOptions.wasmMemory (doc/quickjs-emscripten/interfaces/CustomizeVariantOptions.md); setMemoryLimit alone does not bound the total in the emscripten build: QuickJS counts 8 bytes per block there (js_def_malloc_usable_size returns 0 under EMSCRIPTEN, vendor/quickjs/quickjs.c), https://github.com/justjake/quickjs-emscripten/issues/271, https://github.com/justjake/quickjs-emscripten/issues/255'

const MiB = 1024 * 1024
const WASM_PAGE_BYTES = 65_536
/** The memory the engine's wasm module declares at start (emscripten's INITIAL_MEMORY): a cap cannot be smaller. */
const ENGINE_INITIAL_BYTES = 16 * MiB
/** One plugin's memory cap when the caller sets none: room for a 1 MiB payload in and out many times over. */
export const QUICKJS_DEFAULT_MEMORY_MB = 64

/** The cap of one plugin's engine memory, in bytes: the caller's heap cap, or the default. */
export function quickJsMemoryCapBytes(heapLimitMb: number | undefined): number {
  const bytes = (heapLimitMb ?? QUICKJS_DEFAULT_MEMORY_MB) * MiB
  if (bytes < ENGINE_INITIAL_BYTES) throw new PluginError('PLUGIN_LOAD', `QuickJS's engine starts with ${ENGINE_INITIAL_BYTES / MiB} MiB of memory, so a cap of ${heapLimitMb} MiB cannot hold it: give a heap cap of ${ENGINE_INITIAL_BYTES / MiB} MiB or more (crash-test --heap-mb)`)
  return bytes
}

let engineCode: Promise<WebAssembly.Module> | undefined

/** The release-sync variant's wasm, compiled once per process: each plugin's engine is an instance of it. */
function compiledEngineCode(): Promise<WebAssembly.Module> {
  // Resolved from quickjs-emscripten, which depends on the variant, wherever the package manager put it.
  engineCode ??= (async () => {
    const fromQuickJs = createRequire(createRequire(import.meta.url).resolve('quickjs-emscripten'))
    return WebAssembly.compile(await readFile(fromQuickJs.resolve('@jitl/quickjs-wasmfile-release-sync/wasm')))
  })()
  return engineCode
}

/**
 * A QuickJS engine of one plugin's own, in a WebAssembly memory that cannot grow past `capBytes`. The build's
 * allocator accounting counts blocks, not bytes, so runtime.setMemoryLimit alone lets a runtime grow to the wasm32
 * ceiling; a memory with a maximum makes malloc fail at the cap, and QuickJS throws `out of memory`.
 */
async function cappedEngine(capBytes: number): Promise<QuickJSWASMModule> {
  const {newQuickJSWASMModule, newVariant, RELEASE_SYNC} = await import('quickjs-emscripten')
  const wasmMemory = new WebAssembly.Memory({initial: ENGINE_INITIAL_BYTES / WASM_PAGE_BYTES, maximum: Math.floor(capBytes / WASM_PAGE_BYTES)})
  return newQuickJSWASMModule(newVariant(RELEASE_SYNC, {wasmMemory, wasmModule: await compiledEngineCode()}))
}

/** A QuickJS error thrown to the host, named by what the engine said. */
function failure(context: QuickJSContext, handle: QuickJSHandle, timeoutMs: number, capBytes: number): PluginError {
  const dumped = context.dump(handle) as {name?: string; message?: string} | string
  handle.dispose()
  const {name = 'Error', message = String(dumped)} = typeof dumped === 'object' && dumped !== null ? dumped : {message: String(dumped)}
  if (name === 'InternalError' && message === 'interrupted') return new PluginError('CALL_TIMEOUT', `the plugin did not return within ${timeoutMs} ms: the interrupt handler stopped it`)
  if (name === 'InternalError' && message === 'out of memory') return new PluginError('PLUGIN_OOM', `the plugin reached its engine's memory cap of ${capBytes / MiB} MiB: QuickJS threw out of memory`)
  return new PluginError('PLUGIN_THREW', `the plugin threw: ${name}: ${message}`)
}

/** The plugin's exports inside the context, looked up once. */
interface Exports {
  box: QuickJSHandle
  known: QuickJSHandle
  echo?: QuickJSHandle
}

function lookup(context: QuickJSContext, filename: string): Exports {
  const namespace = context.getProp(context.global, PLUGIN_GLOBAL)
  const box = context.getProp(namespace, 'PluginInputNumber')
  const known = context.getProp(namespace, 'KnownPluginFunction')
  const echo = context.getProp(namespace, 'Echo')
  namespace.dispose()
  const problems: string[] = []
  if (context.typeof(box) !== 'object') problems.push('PluginInputNumber is missing')
  if (context.typeof(known) !== 'function') problems.push('KnownPluginFunction is missing')
  if (problems.length > 0) {
    for (const handle of [box, known, echo]) handle.dispose()
    throw new PluginError('PLUGIN_LOOKUP', `plugin ${filename} does not have the sample plugin's exports: ${problems.join('; ')}`)
  }
  if (context.typeof(echo) === 'function') return {box, known, echo}
  echo.dispose()
  return {box, known}
}

export async function loadQuickJs(options: LoadOptions): Promise<LoadedPlugin> {
  const script = await pluginScript(options.pluginPath ?? samplePluginPath)
  const capBytes = quickJsMemoryCapBytes(options.heapLimitMb)
  // Each plugin an engine (a wasm instance and its memory) of its own: the cap is per engine, not per runtime.
  const engine = await cappedEngine(capBytes)
  const {shouldInterruptAfterDeadline} = await import('quickjs-emscripten')
  const runtime: QuickJSRuntime = engine.newRuntime()
  // Still worth setting: it refuses any one allocation above the cap before the memory has to grow.
  runtime.setMemoryLimit(capBytes)
  const context = runtime.newContext()
  const timeoutMs = options.callTimeoutMs ?? 0
  const fail = (handle: QuickJSHandle) => failure(context, handle, timeoutMs, capBytes)
  let exports: Exports
  try {
    const evaluated = context.evalCode(script.code, script.filename)
    if (evaluated.error) throw new PluginError('PLUGIN_LOAD', `plugin ${script.filename} failed while it was evaluated: ${fail(evaluated.error).message}`)
    evaluated.value.dispose()
    exports = lookup(context, script.filename)
  } catch (error) {
    context.dispose()
    runtime.dispose()
    throw error
  }
  const text = (handle: QuickJSHandle): string => {
    const value = context.getString(handle)
    handle.dispose()
    return value
  }
  const callFunction = (fn: QuickJSHandle, ...args: QuickJSHandle[]): QuickJSHandle => {
    // A deadline for this call only: QuickJS asks the handler as it runs, and stops when it says so.
    if (timeoutMs > 0) runtime.setInterruptHandler(shouldInterruptAfterDeadline(Date.now() + timeoutMs))
    const result = context.callFunction(fn, context.undefined, ...args)
    if (result.error) throw fail(result.error)
    return result.value
  }
  // An async plugin's promise: settled already, or settled by the engine's pending jobs, or never.
  const settle = async (promise: QuickJSHandle): Promise<string> => {
    runtime.executePendingJobs()
    const state = context.getPromiseState(promise)
    promise.dispose()
    if (state.type === 'fulfilled') return text(state.value)
    if (state.type === 'rejected') throw fail(state.error)
    // Nothing in the realm can settle it later: it has no timers and no I/O.
    return new Promise<string>(() => {})
  }
  let disposed = false
  const callSync = (input: PluginInput): PluginOutput => {
    const number = context.newNumber(input.number)
    context.setProp(exports.box, 'value', number)
    number.dispose()
    const message = callFunction(exports.known)
    if (context.typeof(message) !== 'string') throw Object.assign(new PluginError('PLUGIN_ASYNC', 'the plugin answered with a promise'), {promise: message})
    const output: PluginOutput = {message: text(message)}
    if (input.payload === undefined) return output
    if (exports.echo === undefined) throw new PluginError('NO_ECHO', 'the plugin does not export Echo(payload), so payloads cannot be measured')
    const payload = context.newString(input.payload)
    try {
      return {...output, payload: text(callFunction(exports.echo, payload))}
    } finally {
      payload.dispose()
    }
  }
  return {
    callSync,
    async call(input) {
      try {
        return callSync(input)
      } catch (error) {
        const promise = (error as {promise?: QuickJSHandle}).promise
        if (promise === undefined) throw error
        return {message: await settle(promise)}
      }
    },
    async ping() {},
    async dispose() {
      if (disposed) return
      disposed = true
      for (const handle of [exports.box, exports.known, exports.echo]) handle?.dispose()
      context.dispose()
      runtime.dispose()
    },
  }
}

const noProcess = (what: string) => survives(['PLUGIN_THREW'], QUICKJS_SOURCE, `the realm has no \`${what}\`: a ReferenceError comes back as the call's error`)

export const quickjs: Row & Loadable & Buildable & CrashProbeable & Scalable = {
  id: 'quickjs',
  family: 'wasm',
  title: 'QuickJS compiled to WebAssembly (quickjs-emscripten) in the host thread: memory limit and interrupt handler',
  floors: {call: 'floor-direct-call'},
  runs: {where: 'sandbox', host: 'typescript', plugin: 'typescript'},
  platforms: {support: EVERYWHERE, note: 'WebAssembly: runs wherever Node does', sources: [QUICKJS_EMSCRIPTEN]},
  // The Node fault modules a script can take (slow-start imports node:fs), and the escape.
  faults: {
    throw: survives(['PLUGIN_THREW'], QUICKJS_SOURCE, "the error comes back as the call's exception"),
    reject: survives([], QUICKJS_SOURCE, "a rejection inside the realm touches nothing of the host's"),
    exit: noProcess('process'),
    segfault: noProcess('process'),
    hang: survives(['CALL_TIMEOUT'], QUICKJS_SOURCE, "the interrupt handler stops the loop at the call's deadline"),
    never: survives(['CALL_TIMEOUT'], QUICKJS_SOURCE, 'the promise can never settle (the realm has no timers or I/O): a host timeout'),
    oom: survives(['PLUGIN_OOM'], MEMORY_CAP_SOURCE, 'malloc fails at the maximum of the engine\'s memory (--heap-mb) and QuickJS throws "out of memory"; a new engine answers the next call'),
    'stdout-garbage': noProcess('process.stdout'),
    escape: survives(['PLUGIN_THREW'], QUICKJS_SOURCE, "the realm's Function finds no `process`: a ReferenceError"),
  },
  reload: {possible: true, how: 'a new runtime and context from the new version\'s script, swapped in by the careful host; the old runtime is disposed and its memory freed'},
  takesPluginPath: true,
  // Each plugin a context of its own (a QuickJS runtime each).
  scale: HOLDS_MANY_CALLS_IN_TURN,
  async detect() {
    return {supported: true}
  },
  build: prepareScript,
  load: loadQuickJs,
}
