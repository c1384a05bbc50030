// go-extism: the sample's Extism plugin (AssemblyScript with Extism's PDK) under Extism's Go host SDK, which
// runs on wazero: beside go-wasm (the same runtime without the framework), what Extism itself costs a Go host.
import {goHostMechanism} from '../go/go-host-mechanism.js'
import {detectGo, goBuild} from '../go/toolchain.js'
import {buildExtismPlugin, detectExtismPdk} from '../wasm/build.js'
import {MEMORY_LIMIT_PAGES, WASM_FAULTS} from '../wasm/instance.js'

/** The Extism plugin and the Go host, each cached; the build time is the two builds' sum. */
async function build() {
  const [plugin, host] = await Promise.all([buildExtismPlugin(), goBuild({pkg: './extismhost', output: 'extism-host'})])
  return {host: host.binary, args: ['-module', plugin.path, `-memory-limit-pages=${MEMORY_LIMIT_PAGES}`], buildMs: plugin.buildMs + host.buildMs, cached: plugin.cached && host.cached}
}

export const goExtism = goHostMechanism({
  id: 'go-extism',
  family: 'wasm',
  title: "an Extism plugin (AssemblyScript) in a Go host with Extism's Go SDK (on wazero)",
  floor: 'floor-go-direct-call',
  faults: WASM_FAULTS,
  detect: () => {
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
