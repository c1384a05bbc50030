// The sample plugin's WebAssembly builds, made on first use and cached like the Go builds: the AssemblyScript
// module with the compiler that npm installed, and the Go module (GOOS=wasip1, //go:wasmexport, Go >= 1.24).
import {lastLinesOf} from '../transport/stderr-buffer.js'
import {temporaryFor} from '../core/atomic-write.js'
import {createHash} from 'node:crypto'
import {existsSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import {fileURLToPath} from 'node:url'
import {detectGo, goBuild} from '../go/toolchain.js'
import type {Support} from '../core/support.js'
import {cacheDir, fixturePath} from '../paths.js'
import {PluginError} from '../sample/contract.js'
import {IMPORTED_MEMORY_INITIAL_PAGES} from './instance.js'

export interface WasmBuild {
  /** The .wasm file. */
  path: string
  buildMs: number
  cached: boolean
}

export const assemblyScriptSource = fixturePath('wasm', 'sample-plugin.ts')

// No garbage collector (stub runtime), and the memory imported so that the host sets its maximum.
const ASC_FLAGS = ['--runtime', 'stub', '--importMemory', '--initialMemory', String(IMPORTED_MEMORY_INITIAL_PAGES), '-O3', '--noAssert']

/** Go >= 1.24 is the first with //go:wasmexport. */
export const MIN_GO_WASM = [1, 24] as const

function ascPackageJson(): string | undefined {
  try {
    return path.join(path.dirname(fileURLToPath(import.meta.resolve('assemblyscript/asc'))), '..', 'package.json')
  } catch {
    return undefined
  }
}

/** Whether the AssemblyScript compiler is installed (it is a dependency: missing only in a broken install). */
export function detectAssemblyScript(): Support {
  const manifest = ascPackageJson()
  if (manifest === undefined || !existsSync(manifest)) {
    return {supported: false, reason: 'the AssemblyScript compiler is not installed: run `npm install` in plugin-survey to build the wasm sample'}
  }
  const {version} = JSON.parse(readFileSync(manifest, 'utf8')) as {version: string}
  return {supported: true, detail: `assemblyscript ${version}`}
}

/** An AssemblyScript source of fixtures/wasm and the flags it is compiled with. */
interface AssemblyScriptSource {
  file: string
  flags: readonly string[]
}

const SAMPLE_MODULE: AssemblyScriptSource = {file: assemblyScriptSource, flags: ASC_FLAGS}

/**
 * The sample as an Extism plugin: Extism's AssemblyScript PDK allocates per call, so it needs AssemblyScript's
 * collector (the incremental runtime); Extism gives no env.abort, so asc calls the plugin's own abortPlugin.
 */
export const EXTISM_MODULE: AssemblyScriptSource = {
  file: fixturePath('wasm', 'extism-plugin.ts'),
  flags: ['--runtime', 'incremental', '-O3', '--noAssert', '--use', 'abort=extism-plugin/abortPlugin'],
}

/** Compiles fixtures/wasm/sample-plugin.ts unless an identical build (source, flags, compiler) is cached. */
export function buildAssemblyScriptModule(): Promise<WasmBuild> {
  return buildAssemblyScript(SAMPLE_MODULE)
}

/** Compiles an AssemblyScript source unless an identical build (source, flags, compiler, PDK) is cached. */
export async function buildAssemblyScript({file: sourceFile, flags}: AssemblyScriptSource): Promise<WasmBuild> {
  const support = detectAssemblyScript()
  if (!support.supported) throw new PluginError('ASC_MISSING', support.reason)
  const source = readFileSync(sourceFile)
  const key = createHash('sha256').update(JSON.stringify({flags, compiler: support.detail, pdk: extismPdkVersion()})).update(source).digest('hex').slice(0, 16)
  const file = path.join(cacheDir('wasm', key), `${path.basename(sourceFile, '.ts')}.wasm`)
  const timing = `${file}.build-ms`
  if (existsSync(file) && existsSync(timing)) return {path: file, buildMs: Number(readFileSync(timing, 'utf8')), cached: true}
  const started = performance.now()
  // Imported only when a build is needed: the compiler and binaryen take about a second to load.
  const asc = await import('assemblyscript/asc')
  const temporary = temporaryFor(file)
  const errors: string[] = []
  const result = await asc.main([path.basename(sourceFile), ...flags, '--baseDir', path.dirname(sourceFile), '--outFile', temporary], {
    stdout: {write: () => true} as never,
    stderr: {write: (text: string | Uint8Array) => errors.push(String(text)) > 0} as never,
  })
  if (result.error) {
    throw new PluginError('ASC_BUILD_FAILED', `asc could not compile ${sourceFile}: ${result.error.message} ${lastLinesOf(errors.join(''), 6)}`)
  }
  const buildMs = Math.round(performance.now() - started)
  renameSync(temporary, file)
  writeFileSync(timing, String(buildMs))
  return {path: file, buildMs, cached: false}
}

// The Extism PDK's version is part of the Extism plugin's build: a new PDK is a new plugin.
function extismPdkVersion(): string | undefined {
  try {
    const manifest = path.join(path.dirname(fileURLToPath(import.meta.resolve('@extism/as-pdk'))), 'package.json')
    return (JSON.parse(readFileSync(manifest, 'utf8')) as {version: string}).version
  } catch {
    return undefined
  }
}

/** Whether the Extism plugin can be built: the AssemblyScript compiler and Extism's AssemblyScript PDK. */
export function detectExtismPdk(): Support {
  const asc = detectAssemblyScript()
  if (!asc.supported) return asc
  const pdk = extismPdkVersion()
  if (pdk === undefined) return {supported: false, reason: "Extism's AssemblyScript PDK (@extism/as-pdk) is not installed: run `npm install` in plugin-survey to build the Extism plugin"}
  return {supported: true, detail: `${asc.detail}, @extism/as-pdk ${pdk}`}
}

/** Builds the sample's Extism plugin (fixtures/wasm/extism-plugin.ts), cached. */
export function buildExtismPlugin(): Promise<WasmBuild> {
  return buildAssemblyScript(EXTISM_MODULE)
}

/**
 * Whether the Go build of the module can be made here; the reason says what to install when it cannot.
 * fixtures/go's own floor (MIN_GO, from its go.mod) is above MIN_GO_WASM: a Go that builds the module has //go:wasmexport.
 */
export function detectGoWasm(): Support {
  return detectGo()
}

/** Builds fixtures/go/wasm as a WASI reactor (its exports callable after _initialize), cached by goBuild. */
export async function buildGoWasmModule(): Promise<WasmBuild> {
  const support = detectGoWasm()
  if (!support.supported) throw new PluginError('GO_TOO_OLD', support.reason)
  // c-shared makes a wasip1 reactor: a module whose exports are called, instead of a main that runs once.
  const build = await goBuild({pkg: './wasm', output: 'sample-plugin.wasm', buildmode: 'c-shared', env: {GOOS: 'wasip1', GOARCH: 'wasm'}})
  return {path: build.binary, buildMs: build.buildMs, cached: build.cached}
}
