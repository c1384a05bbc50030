// go-host-ts-plugin: a Go host using github.com/hashicorp/go-plugin starting this project's TypeScript
// go-plugin plugin (src/hosts/grpc-sample-plugin.ts). Measured by the Go host itself.
import {runGoHarness} from '../go/harness.js'
import {goCrashHost, runGoProbe, type ProbeableMechanism} from '../go/probe.js'
import {serveGoHost} from '../go/serve.js'
import {detectGo, withBuildProgress} from '../go/toolchain.js'
import {distPath, samplePluginPath} from '../paths.js'
import type {BenchRow} from '../report/types.js'
import {CHILD_HEAP_MB} from './child-rpc.js'
import {buildGoPluginHost} from './go-hashicorp.js'
import type {LoadOptions} from './types.js'

/** The call faults of the TypeScript go-plugin plugin. */
export const TS_PLUGIN_FAULTS = ['throw', 'reject', 'exit', 'segfault', 'hang', 'never', 'oom', 'stdout-garbage'] as const

async function build() {
  const host = await buildGoPluginHost()
  const plugin = distPath('src', 'hosts', 'grpc-sample-plugin.js')
  const args = ['-plugin', process.execPath, '-arg', `--max-old-space-size=${CHILD_HEAP_MB}`, '-arg', plugin]
  return {host: host.binary, args, buildMs: host.buildMs, cached: host.cached}
}

// A go-plugin host passes its own environment on to the plugin: that is how the plugin module reaches it.
const pluginEnv = (options: LoadOptions) => ({PLUGIN_SURVEY_PLUGIN: options.pluginPath ?? samplePluginPath})

export const goHostTsPlugin: ProbeableMechanism = {
  id: 'go-host-ts-plugin',
  family: 'cross',
  title: 'a Go host using hashicorp/go-plugin starting the TypeScript go-plugin plugin (gRPC)',
  coldStartFloor: 'floor-spawn',
  acceptsUserPlugin: true,
  async detect() {
    return detectGo()
  },
  async prepare() {
    const b = await build()
    return {buildMs: b.buildMs, cached: b.cached}
  },
  async load(options) {
    const b = await build()
    return serveGoHost(b.host, b.args, {env: pluginEnv(options), startTimeoutMs: options.startTimeoutMs, callTimeoutMs: options.callTimeoutMs})
  },
  async benchExternally(settings, options, progress): Promise<BenchRow> {
    const support = await this.detect()
    if (!support.supported) return {mechanism: this.id, family: this.family, title: this.title, floor: this.floor, status: 'skipped', reason: support.reason}
    const b = await withBuildProgress(build, progress)
    return runGoHarness(this, b.host, settings, b, b.args, pluginEnv(options))
  },
  // The faults the TypeScript plugin knows (src/hosts/grpc-sample-plugin.ts), armed through the Go host's environment.
  faults: TS_PLUGIN_FAULTS,
  async crashHost(fault, options) {
    const b = await build()
    return goCrashHost(b.host, b.args, fault, options)
  },
  async probe(fault, options) {
    const b = await build()
    return runGoProbe(b.host, b.args, fault, options)
  },
}
