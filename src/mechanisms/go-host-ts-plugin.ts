// go-host-ts-plugin: a Go host using github.com/hashicorp/go-plugin starting this project's TypeScript
// go-plugin plugin (src/hosts/grpc-sample-plugin.ts). Measured by the Go host itself.
import {goHostMechanism} from '../go/go-host-mechanism.js'
import {goCrashHost} from '../go/probe.js'
import {detectGo} from '../go/toolchain.js'
import {distPath, samplePluginPath} from '../paths.js'
import {CHILD_HEAP_MB} from './child-rpc.js'
import {buildGoPluginHost} from './go-hashicorp.js'
import type {LoadOptions} from './types.js'

/** The call faults of the TypeScript go-plugin plugin. */
export const TS_PLUGIN_FAULTS = ['throw', 'reject', 'exit', 'segfault', 'hang', 'never', 'oom', 'stdout-garbage', 'stdio-lines'] as const

/** The Go host's arguments that start the TypeScript plugin: node, its flags, the plugin's script. */
function pluginArgs(heapMb: number, nodeArgs: readonly string[] = []): string[] {
  const node = [`--max-old-space-size=${heapMb}`, ...nodeArgs, distPath('src', 'hosts', 'grpc-sample-plugin.js')]
  return ['-plugin', process.execPath, ...node.flatMap((arg) => ['-arg', arg])]
}

async function build() {
  const host = await buildGoPluginHost()
  return {host: host.binary, args: pluginArgs(CHILD_HEAP_MB), buildMs: host.buildMs, cached: host.cached}
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
  build,
  env: pluginEnv,
  // crash-test's own heap cap (oom ends in a second, not after the call timeout) and Node flags for the plugin.
  crashHost: (built, fault, options) => {
    const command = goCrashHost(built.host, pluginArgs(options.heapLimitMb ?? CHILD_HEAP_MB, options.nodeArgs), fault, options)
    return {...command, env: {...command.env, ...pluginEnv(options)}}
  },
})
