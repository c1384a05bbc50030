// child-grpc: the plugin in a child process behind HashiCorp go-plugin's protocol, host and plugin both in
// TypeScript (src/protocol). The same loader drives any go-plugin plugin of the sample (ts-host-go-plugin).
import {missingPluginEntry, pluginEntry, samplePluginPath} from '../paths.js'
import {HANDSHAKE_FAULT_IDS, NODE_FAULT_IDS, STDIO_FAULT} from '../sample/faults.js'
import {CHILD_HEAP_MB} from '../transport/child-process.js'
import {CHILD_PROCESS, faultsFrom} from './expectations.js'
import {loadGoPluginSample} from './go-plugin-sample.js'
import {EVERYWHERE, type CrashProbeable, type Loadable, type Row, type Scalable} from './row.js'
import {HASHICORP, NODE_IPC_PATHS} from './sources.js'
import {SCALES_BOTH} from './scale-facts.js'

/** How go-plugin rows reload: go-plugin has none of its own (go-plugin#31), so a new plugin is started and swapped in. */
export const GO_PLUGIN_RELOAD = 'go-plugin has no reload of its own (go-plugin#31): the careful host starts a new plugin with the new version and swaps it in'

export const childGrpc: Row & Loadable & CrashProbeable & Scalable = {
  id: 'child-grpc',
  family: 'node',
  title: "child process speaking HashiCorp go-plugin's protocol (handshake, gRPC over a unix socket), both sides in TypeScript",
  floors: {call: 'floor-http2', coldStart: 'floor-spawn'},
  runs: {where: 'other-process', host: 'typescript', plugin: 'typescript', protocol: 'go-plugin'},
  platforms: {support: EVERYWHERE, note: 'go-plugin protocol: TCP on 127.0.0.1 on Windows', sources: [HASHICORP, NODE_IPC_PATHS]},
  survey: [{subject: 'go-plugin', role: 'counterpart'}],
  // The Node faults come as fault modules; the broken handshakes and stdio-lines by name, from the sample plugin itself.
  faults: faultsFrom(CHILD_PROCESS, [...NODE_FAULT_IDS, ...HANDSHAKE_FAULT_IDS, STDIO_FAULT.id]),
  reload: {possible: true, how: GO_PLUGIN_RELOAD},
  takesPluginPath: true,
  scale: SCALES_BOTH,
  async detect() {
    return missingPluginEntry('grpc-sample-plugin') ?? {supported: true}
  },
  load(options) {
    const plugin = pluginEntry('grpc-sample-plugin')
    return loadGoPluginSample(process.execPath, [`--max-old-space-size=${options.heapLimitMb ?? CHILD_HEAP_MB}`, ...(options.nodeArgs ?? []), plugin], options, {
      env: {PLUGIN_SURVEY_PLUGIN: options.pluginPath ?? samplePluginPath},
    })
  },
}
