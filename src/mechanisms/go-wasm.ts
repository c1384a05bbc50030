// The Go build of the sample plugin's wasm module (GOOS=wasip1, //go:wasmexport) in a Go host with wazero,
// a pure-Go runtime: the combination that Go plugin systems moved to (knqyf263/go-plugin, Extism's Go SDK).
import {goBuild} from '../go/toolchain.js'
import {buildGoWasmModule, detectGoWasm} from '../wasm/build.js'
import {GO_WASM_FAULTS, MEMORY_LIMIT_PAGES} from '../wasm/instance.js'
import {WASM_SANDBOX, faultsFrom} from './expectations.js'
import {goHostRow} from './go-host-row.js'
import {EVERYWHERE} from './row.js'
import {WAZERO} from './sources.js'
import {SCALES_BOTH} from './scale-facts.js'

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

export const goWasm = goHostRow({
  id: 'go-wasm',
  family: 'wasm',
  title: 'WebAssembly (Go wasip1 build) in a Go host with wazero: the number and strings through linear memory',
  floors: {call: 'floor-go-direct-call'},
  // N plugins: instances of the module compiled once in one runtime (a cold start compiles it each time);
  // calls on one instance take a lock.
  scale: SCALES_BOTH,
  scaleArgs: ['-compile-once'],
  runs: {where: 'sandbox', host: 'go', plugin: 'go'},
  platforms: {support: EVERYWHERE, sources: [WAZERO]},
  faults: faultsFrom(WASM_SANDBOX, GO_WASM_FAULTS),
  reload: {possible: true, how: 'a new wazero host with a fresh instance of the module, swapped in by the careful host (the row takes no plugin path: the same module)'},
  async detect() {
    return detectGoWasm()
  },
  build: buildGoWasm,
  crashHost: (build, fault, options) => ({
    file: build.host,
    args: [...build.args, '-probe', `-probe-timeout-ms=${options.callTimeoutMs ?? 1000}`],
    env: {PLUGIN_SURVEY_FAULT: fault},
  }),
})
