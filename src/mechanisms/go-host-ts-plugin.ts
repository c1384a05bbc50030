// go-host-ts-plugin: a Go host using github.com/hashicorp/go-plugin starting this project's TypeScript
// go-plugin plugin (src/hosts/grpc-sample-plugin.ts). Measured by the Go host itself.
import {goCrashHost} from '../go/probe.js'
import {detectGo} from '../go/toolchain.js'
import {missingPluginEntry, pluginEntry, samplePluginPath} from '../paths.js'
import {TS_PLUGIN_FAULT_IDS} from '../sample/faults.js'
import {CHILD_HEAP_MB} from '../transport/child-process.js'
import type {LoadOptions} from '../transport/types.js'
import {GO_PLUGIN_HOST, faultsFrom} from './expectations.js'
import {buildGoPluginHost, GO_PLUGIN_HOST_RELOAD} from './go-hashicorp.js'
import {goHostRow} from './go-host-row.js'
import {EVERYWHERE} from './row.js'
import {HASHICORP} from './sources.js'
import {SCALES_BOTH} from './scale-facts.js'

/** The Go host's arguments that start the TypeScript plugin: node, its flags, the plugin's script. */
function pluginArgs(heapMb: number, nodeArgs: readonly string[] = []): string[] {
  const node = [`--max-old-space-size=${heapMb}`, ...nodeArgs, pluginEntry('grpc-sample-plugin')]
  return ['-plugin', process.execPath, ...node.flatMap((arg) => ['-arg', arg])]
}

async function build() {
  const host = await buildGoPluginHost()
  return {host: host.binary, args: pluginArgs(CHILD_HEAP_MB), buildMs: host.buildMs, cached: host.cached}
}

// A go-plugin host passes its own environment on to the plugin: that is how the plugin module reaches it.
const pluginEnv = (options: LoadOptions) => ({PLUGIN_SURVEY_PLUGIN: options.pluginPath ?? samplePluginPath})

export const goHostTsPlugin = goHostRow({
  id: 'go-host-ts-plugin',
  family: 'cross',
  title: 'a Go host using hashicorp/go-plugin starting the TypeScript go-plugin plugin (gRPC)',
  floors: {coldStart: 'floor-spawn'},
  runs: {where: 'other-process', host: 'go', plugin: 'typescript', protocol: 'go-plugin'},
  platforms: {support: EVERYWHERE, note: 'TCP on 127.0.0.1 on Windows', sources: [HASHICORP]},
  survey: [{subject: 'go-plugin', role: 'counterpart'}],
  // The faults the TypeScript plugin knows, armed through the Go host's environment: it answers a throw with an
  // error of its own code, and an unhandled rejection ends it with exit code 1.
  faults: faultsFrom(GO_PLUGIN_HOST, TS_PLUGIN_FAULT_IDS, {throw: ['PLUGIN_THREW'], reject: ['PLUGIN_EXITED']}),
  reload: GO_PLUGIN_HOST_RELOAD,
  takesPluginPath: true,
  scale: SCALES_BOTH,
  async detect() {
    return missingPluginEntry('grpc-sample-plugin') ?? detectGo()
  },
  build,
  env: pluginEnv,
  // crash-test's own heap cap (oom ends in a second, not after the call timeout) and Node flags for the plugin.
  crashHost: (built, fault, options) => {
    const command = goCrashHost(built.host, pluginArgs(options.heapLimitMb ?? CHILD_HEAP_MB, options.nodeArgs), fault, options)
    return {...command, env: {...command.env, ...pluginEnv(options)}}
  },
})
