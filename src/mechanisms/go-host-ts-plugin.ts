// go-host-ts-plugin: a Go host using github.com/hashicorp/go-plugin starting this project's TypeScript
// go-plugin plugin (src/hosts/grpc-sample-plugin.ts). Measured by the Go host itself.
import {goHostMechanism} from '../go/go-host-mechanism.js'
import {detectGo} from '../go/toolchain.js'
import {distPath, samplePluginPath} from '../paths.js'
import {CHILD_HEAP_MB} from './child-rpc.js'
import {buildGoPluginHost} from './go-hashicorp.js'
import type {LoadOptions} from './types.js'
import {SCALES_BOTH} from './scale-facts.js'

/** The call faults of the TypeScript go-plugin plugin. */
export const TS_PLUGIN_FAULTS = ['throw', 'reject', 'exit', 'segfault', 'hang', 'never', 'oom', 'stdout-garbage', 'stdio-lines'] as const

async function build() {
  const host = await buildGoPluginHost()
  const plugin = distPath('src', 'hosts', 'grpc-sample-plugin.js')
  const args = ['-plugin', process.execPath, '-arg', `--max-old-space-size=${CHILD_HEAP_MB}`, '-arg', plugin]
  return {host: host.binary, args, buildMs: host.buildMs, cached: host.cached}
}

// A go-plugin host passes its own environment on to the plugin: that is how the plugin module reaches it.
const pluginEnv = (options: LoadOptions) => ({PLUGIN_SURVEY_PLUGIN: options.pluginPath ?? samplePluginPath})

export const goHostTsPlugin = goHostMechanism({
  id: 'go-host-ts-plugin',
  family: 'cross',
  title: 'a Go host using hashicorp/go-plugin starting the TypeScript go-plugin plugin (gRPC)',
  coldStartFloor: 'floor-spawn',
  acceptsUserPlugin: true,
  // The faults the TypeScript plugin knows (src/hosts/grpc-sample-plugin.ts), armed through the Go host's environment.
  faults: TS_PLUGIN_FAULTS,
  detect: detectGo,
  scale: SCALES_BOTH,
  build,
  env: pluginEnv,
})
