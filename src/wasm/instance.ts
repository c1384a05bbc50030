// One instance of a wasm plugin in the calling thread, spoken to through the ABI of docs/mechanisms/wasm.md:
// the input number, the message and the payload all cross through linear memory; exports take i32 only.
import {readFile} from 'node:fs/promises'
import type {WASI} from 'node:wasi'
// Imported by every wasm worker as it starts: keep the build side (the Go toolchain, execa) out of its imports.
import {PluginError, type PluginInput, type PluginOutput, errorFields} from '../sample/contract.js'

export const WASM_PAGE_BYTES = 65_536

/** Pages the host gives a module that imports its memory: the AssemblyScript build declares exactly this. */
export const IMPORTED_MEMORY_INITIAL_PAGES = 1

/** The host's cap on a plugin's linear memory: 16 MiB, room for a 1 MiB payload in and out many times over. */
export const MEMORY_LIMIT_PAGES = 256

/** The misbehaviours both builds of the sample module export as `fault_<name>`. */
export const WASM_FAULTS = ['trap', 'hang', 'oom'] as const
/** The Go build can also exit (WASI proc_exit); the AssemblyScript build imports no WASI to exit with. */
export const GO_WASM_FAULTS = [...WASM_FAULTS, 'exit'] as const
export type WasmFault = (typeof GO_WASM_FAULTS)[number]

interface PluginExports {
  plugin_io(): number
  known_plugin_function(): void
  input_buffer(length: number): number
  echo(length: number): void
  [fault: `fault_${string}`]: (() => void) | undefined
}

export interface WasmInstance {
  call(input: PluginInput): PluginOutput
  /** Calls the module's `fault_<name>` export: it traps, loops or grows, as crash-test asks. */
  fault(name: WasmFault): void
  memoryBytes(): number
}

// node:wasi prints an ExperimentalWarning when it is first imported: import it only for a module that needs it.
let wasiClass: typeof WASI | undefined

/** Loads what instantiate() needs for this module beyond WebAssembly itself (node:wasi for a WASI module). */
export async function prepareImports(module: WebAssembly.Module): Promise<void> {
  if (wasiClass === undefined && WebAssembly.Module.imports(module).some((i) => i.module === 'wasi_snapshot_preview1')) {
    wasiClass = (await import('node:wasi')).WASI
  }
}

/** Reads and compiles a module: the part of a cold start that wasm adds to an in-process load. */
export async function compileModule(file: string): Promise<WebAssembly.Module> {
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch (error) {
    throw new PluginError('PLUGIN_NOT_FOUND', `wasm module not found: ${file}`, {cause: error})
  }
  let module: WebAssembly.Module
  try {
    module = await WebAssembly.compile(bytes as unknown as BufferSource)
  } catch (error) {
    throw new PluginError('PLUGIN_LOAD', `${file} is not a valid WebAssembly module: ${(error as Error).message}`, {cause: error})
  }
  await prepareImports(module)
  return module
}

// AssemblyScript's abort(message, file, line, column): its strings are UTF-16 with their byte length before them.
function readAssemblyScriptString(memory: WebAssembly.Memory, pointer: number): string {
  if (pointer === 0) return ''
  const bytes = new Uint32Array(memory.buffer, pointer - 4, 1)[0]
  return Buffer.from(memory.buffer, pointer, bytes).toString('utf16le')
}

function isInt32(n: number): boolean {
  return Number.isInteger(n) && n >= -0x8000_0000 && n <= 0x7fff_ffff
}

/**
 * Instantiates a compiled module, synchronously, so a host can replace a broken instance inside a call (a WASI
 * module must have been through prepareImports, as compileModule does). A module that imports its memory gets
 * one capped at `limitPages`; one that defines its own (the Go build) can only be capped by its own declared
 * maximum in V8, which Go does not set.
 */
export function instantiate(module: WebAssembly.Module, limitPages = MEMORY_LIMIT_PAGES): WasmInstance {
  let memory: WebAssembly.Memory | undefined
  let wasi: WASI | undefined
  const env: Record<string, WebAssembly.ImportValue> = {}
  const imports: WebAssembly.Imports = {env}
  for (const wanted of WebAssembly.Module.imports(module)) {
    if (wanted.module === 'env' && wanted.name === 'memory' && wanted.kind === 'memory') {
      memory = new WebAssembly.Memory({initial: IMPORTED_MEMORY_INITIAL_PAGES, maximum: limitPages})
      env.memory = memory
    } else if (wanted.module === 'env' && wanted.name === 'abort' && wanted.kind === 'function') {
      env.abort = (message: number, file: number, line: number, column: number) => {
        const where = memory ? ` at ${readAssemblyScriptString(memory, file)}:${line}:${column}` : ''
        throw new PluginError('PLUGIN_ABORT', `the plugin aborted: ${memory ? readAssemblyScriptString(memory, message) : 'no message'}${where}`)
      }
    } else if (wanted.module === 'wasi_snapshot_preview1') {
      // returnOnExit: a plugin's proc_exit must end the call, not the host process.
      if (wasiClass === undefined) throw new PluginError('PLUGIN_LOAD', 'a WASI module must be prepared with prepareImports() before instantiate()')
      wasi ??= new wasiClass({version: 'preview1', returnOnExit: true})
      Object.assign(imports, wasi.getImportObject())
    } else {
      throw new PluginError('WASM_IMPORT', `the module imports ${wanted.module}.${wanted.name} (${wanted.kind}), which this host does not provide: it provides env.memory, env.abort and WASI preview1`)
    }
  }
  let instance: WebAssembly.Instance
  try {
    instance = new WebAssembly.Instance(module, imports)
  } catch (error) {
    throw new PluginError('PLUGIN_LOAD', `the wasm module could not be instantiated: ${(error as Error).message}`, {cause: error})
  }
  const exports = instance.exports as unknown as PluginExports & {memory?: WebAssembly.Memory; _initialize?: () => void; _start?: () => void}
  memory ??= exports.memory
  const missing = ['plugin_io', 'known_plugin_function', 'input_buffer', 'echo'].filter((name) => typeof exports[name as keyof PluginExports] !== 'function')
  if (!(memory instanceof WebAssembly.Memory)) missing.push('memory')
  if (missing.length > 0) {
    const found = WebAssembly.Module.exports(module).map((e) => e.name).join(', ') || 'nothing'
    throw new PluginError('PLUGIN_LOOKUP', `the wasm module does not have the plugin ABI's exports: ${missing.join(', ')} missing (it exports: ${found}); see docs/mechanisms/wasm.md`)
  }
  if (wasi) {
    if (exports._start) throw new PluginError('PLUGIN_LOAD', 'the module is a WASI command (it exports _start): build it as a reactor, e.g. go build -buildmode=c-shared')
    wasi.initialize(instance)
  }
  const linear = memory!
  const capped = env.memory !== undefined
  const limitBytes = limitPages * WASM_PAGE_BYTES
  const failure = (error: unknown): PluginError => {
    if (error instanceof PluginError) return error
    const bytes = linear.buffer.byteLength
    const outOfMemory = bytes >= limitBytes
    const where = capped ? `at the host's cap of ${limitBytes} bytes` : `at ${bytes} bytes (a memory the module defines itself has no cap a Node host can set)`
    // node:wasi ends a proc_exit by throwing its own symbol, under which it keeps the exit code.
    if (typeof error === 'symbol' && wasi) {
      const code = (wasi as unknown as Record<symbol, number>)[error]
      return new PluginError(outOfMemory ? 'PLUGIN_OOM' : 'PLUGIN_EXITED', `the plugin exited with code ${code}${outOfMemory ? ` with its memory ${where}` : ''}`)
    }
    const {message} = errorFields(error)
    if (error instanceof WebAssembly.RuntimeError || error instanceof RangeError) {
      if (outOfMemory) return new PluginError('PLUGIN_OOM', `the plugin failed with its memory ${where}: ${message}`, {cause: error})
      return new PluginError('PLUGIN_TRAP', `the plugin trapped: ${message}`, {cause: error})
    }
    return new PluginError('PLUGIN_ERROR', `the plugin failed: ${message}`, {cause: error})
  }
  const io = exports.plugin_io() >>> 0
  if (io % 4 !== 0) throw new PluginError('PLUGIN_LOOKUP', `plugin_io() returned ${io}: the io block must be 4-byte aligned`)
  // Views over linear memory; memory.grow detaches them (byteLength 0), and then they are taken anew.
  let bytes = Buffer.from(linear.buffer)
  let words = new Int32Array(linear.buffer)
  const fresh = () => {
    if (bytes.byteLength === 0) {
      bytes = Buffer.from(linear.buffer)
      words = new Int32Array(linear.buffer)
    }
  }
  const output = (): string => {
    fresh()
    const pointer = words[(io + 4) >> 2] >>> 0
    const length = words[(io + 8) >> 2] >>> 0
    if (pointer + length > bytes.byteLength) throw new PluginError('PLUGIN_ERROR', `the plugin's output (${length} bytes at ${pointer}) is outside its memory`)
    return bytes.toString('utf8', pointer, pointer + length)
  }
  return {
    call(input) {
      if (!isInt32(input.number)) throw new PluginError('BAD_INPUT', `a wasm plugin takes a 32-bit integer, not ${input.number}`)
      try {
        fresh()
        words[io >> 2] = input.number
        exports.known_plugin_function()
        const message = output()
        if (input.payload === undefined) return {message}
        const length = Buffer.byteLength(input.payload)
        const pointer = exports.input_buffer(length) >>> 0
        fresh()
        bytes.write(input.payload, pointer, length, 'utf8')
        exports.echo(length)
        return {message, payload: output()}
      } catch (error) {
        throw failure(error)
      }
    },
    fault(name) {
      const run = exports[`fault_${name}`]
      if (typeof run !== 'function') throw new PluginError('UNKNOWN_FAULT', `the module has no export fault_${name}`)
      try {
        run()
      } catch (error) {
        throw failure(error)
      }
    },
    memoryBytes: () => linear.buffer.byteLength,
  }
}
