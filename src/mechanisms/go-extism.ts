// go-extism: the sample's Extism plugin (AssemblyScript with Extism's PDK) under Extism's Go host SDK, which
// runs on wazero: beside go-wasm (the same runtime without the framework), what Extism itself costs a Go host.
import {detectGo, goBuild} from '../go/toolchain.js'
import {buildExtismPlugin, detectExtismPdk} from '../wasm/build.js'
import {MEMORY_LIMIT_PAGES} from '../wasm/instance.js'
import {WASM_SANDBOX, faultsFrom, survives} from './expectations.js'
import {goHostRow} from './go-host-row.js'
import {EVERYWHERE} from './row.js'
import {EXTISM, EXTISM_GO_SDK, WAZERO} from './sources.js'
import {SCALES_BOTH} from './scale-facts.js'

/** The Extism plugin and the Go host, each cached; the build time is the two builds' sum. */
async function build() {
  const [plugin, host] = await Promise.all([buildExtismPlugin(), goBuild({pkg: './extismhost', output: 'extism-host'})])
  return {host: host.binary, args: ['-module', plugin.path, `-memory-limit-pages=${MEMORY_LIMIT_PAGES}`], buildMs: plugin.buildMs + host.buildMs, cached: plugin.cached && host.cached}
}

export const goExtism = goHostRow({
  id: 'go-extism',
  family: 'wasm',
  title: "an Extism plugin (AssemblyScript) in a Go host with Extism's Go SDK (on wazero)",
  floors: {call: 'floor-go-direct-call'},
  runs: {where: 'sandbox', host: 'go', plugin: 'assemblyscript'},
  platforms: {support: EVERYWHERE, note: 'pure Go on wazero, no cgo', sources: [EXTISM_GO_SDK, WAZERO]},
  // The plugin's fault_<name> exports (fixtures/wasm/extism-plugin.ts), under Extism's limits.
  faults: {
    ...faultsFrom(WASM_SANDBOX, ['trap']),
    hang: survives(['CALL_TIMEOUT'], EXTISM, "CALL_TIMEOUT: Extism's timeout_ms (wazero's WithCloseOnContextDone) ends the call"),
    oom: survives(['PLUGIN_TRAP'], EXTISM, "PLUGIN_TRAP at max_pages: the SDK shows its kernel's memory, not the plugin's, so a trap at the limit cannot be told from another trap"),
  },
  // N plugins: N compiled plugins, each with its instance; calls on one instance take the harness's lock.
  scale: SCALES_BOTH,
  reload: {possible: true, how: 'a new Go host compiling the plugin anew, swapped in by the careful host (the row takes no plugin path: the same plugin)'},
  async detect() {
    const go = detectGo()
    return go.supported ? detectExtismPdk() : go
  },
  build,
  // Extism's own timeout (manifest timeout_ms) is the call timeout; the probe's is a backstop behind it.
  crashHost: (built, fault, options) => {
    const timeoutMs = options.callTimeoutMs ?? 1000
    return {file: built.host, args: [...built.args, `-timeout-ms=${timeoutMs}`, '-probe', `-probe-timeout-ms=${timeoutMs + 500}`], env: {PLUGIN_SURVEY_FAULT: fault}}
  },
})
