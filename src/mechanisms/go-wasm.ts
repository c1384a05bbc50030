// The Go build of the sample plugin's wasm module (GOOS=wasip1, //go:wasmexport) in a Go host with wazero,
// a pure-Go runtime: the combination that Go plugin systems moved to (knqyf263/go-plugin, Extism's Go SDK).
import {runGoHarness} from '../go/harness.js'
import {serveGoHost} from '../go/serve.js'
import {goBuild} from '../go/toolchain.js'
import type {BenchRow} from '../report/types.js'
import {buildGoWasmModule, detectGoWasm} from '../wasm/build.js'
import {GO_WASM_FAULTS, MEMORY_LIMIT_PAGES} from '../wasm/instance.js'
import type {Mechanism} from './types.js'

/** Builds the Go wasm module and the wazero host (each cached); the build time is the two builds' sum. */
export async function buildGoWasm() {
  const module = await buildGoWasmModule()
  const host = await goBuild({pkg: './wasmhost', output: 'wasmhost'})
  return {
    host: host.binary,
    args: ['-module', module.path, `-memory-limit-pages=${MEMORY_LIMIT_PAGES}`],
    buildMs: module.buildMs + host.buildMs,
    cached: module.cached && host.cached,
  }
}

export const goWasm: Mechanism = {
  id: 'go-wasm',
  family: 'wasm',
  title: 'WebAssembly (Go wasip1 build) in a Go host with wazero: the number and strings through linear memory',
  floor: 'floor-go-direct-call',
  faults: GO_WASM_FAULTS,
  async detect() {
    return detectGoWasm()
  },
  async prepare() {
    const {buildMs, cached} = await buildGoWasm()
    return {buildMs, cached}
  },
  async load(options) {
    const build = await buildGoWasm()
    return serveGoHost(build.host, build.args, {startTimeoutMs: options.startTimeoutMs, callTimeoutMs: options.callTimeoutMs})
  },
  async benchExternally(settings): Promise<BenchRow> {
    const support = await this.detect()
    if (!support.supported) return {mechanism: this.id, family: this.family, title: this.title, floor: this.floor, status: 'skipped', reason: support.reason}
    const build = await buildGoWasm()
    return runGoHarness(this, build.host, settings, build, build.args)
  },
  async crashHost(fault, options) {
    const build = await buildGoWasm()
    return {file: build.host, args: [...build.args, '-probe', `-probe-timeout-ms=${options.callTimeoutMs ?? 1000}`], env: {PLUGIN_SURVEY_FAULT: fault}}
  },
}
