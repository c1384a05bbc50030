// ts-host-go-plugin: this project's TypeScript go-plugin host (src/protocol) starting the sample's Go
// go-plugin plugin (fixtures/go/goplugin/plugin, built with hashicorp/go-plugin).
import {detectGo, goBuild} from '../go/toolchain.js'
import {HANDSHAKE_FAULT_IDS, STDIO_FAULT} from '../sample/faults.js'
import {GO_PLUGIN_RELOAD} from './child-grpc.js'
import {CHILD_PROCESS, faultsFrom} from './expectations.js'
import {loadGoPluginSample} from './go-plugin-sample.js'
import {EVERYWHERE, type Buildable, type CrashProbeable, type Loadable, type Row, type Scalable} from './row.js'
import {HASHICORP, NODE_IPC_PATHS} from './sources.js'
import {SCALES_BOTH} from './scale-facts.js'

export function buildGoPluginPlugin() {
  return goBuild({pkg: './goplugin/plugin', output: 'goplugin-plugin'})
}

// A Go plugin that panics or faults ends its process with its crash line first on stderr (PLUGIN_CRASHED); its
// oom fault caps its own address space first, so it dies of memory (PLUGIN_OOM).
const GO_PLUGIN_CRASHES = ['PLUGIN_CRASHED']

export const tsHostGoPlugin: Row & Loadable & Buildable & CrashProbeable & Scalable = {
  id: 'ts-host-go-plugin',
  family: 'cross',
  title: 'the TypeScript go-plugin host starting a Go plugin built with hashicorp/go-plugin (gRPC)',
  // The host's client is its own HTTP/2 on a raw socket (src/protocol/h2-connection.ts), not node:http2: its floor is the socket's.
  // No cold-start floor: a Go plugin starts faster than `node -e 0`, so that ratio would say nothing.
  floors: {call: 'floor-unix-socket'},
  // The same Go plugin under go-plugin's own Go host: what the TypeScript host costs.
  versus: ['go-hashicorp'],
  runs: {where: 'other-process', host: 'typescript', plugin: 'go', protocol: 'go-plugin'},
  platforms: {support: EVERYWHERE, note: 'TCP on 127.0.0.1 on Windows', sources: [HASHICORP, NODE_IPC_PATHS]},
  survey: [{subject: 'go-plugin', role: 'counterpart'}],
  // Armed by name in the Go plugin's environment (fixtures/go/goplugin/plugin): its call faults and broken handshakes.
  faults: faultsFrom(
    CHILD_PROCESS,
    ['throw', 'reject', 'exit', 'segfault', 'hang', 'never', 'oom', 'stdout-garbage', STDIO_FAULT.id, 'slow-start', ...HANDSHAKE_FAULT_IDS],
    {throw: GO_PLUGIN_CRASHES, reject: GO_PLUGIN_CRASHES, segfault: GO_PLUGIN_CRASHES},
  ),
  reload: {possible: true, how: GO_PLUGIN_RELOAD},
  takesPluginPath: false,
  scale: SCALES_BOTH,
  async detect() {
    return detectGo()
  },
  async build() {
    const build = await buildGoPluginPlugin()
    return {buildMs: build.buildMs, cached: build.cached}
  },
  async load(options) {
    const build = await buildGoPluginPlugin()
    return loadGoPluginSample(build.binary, [], options)
  },
}
