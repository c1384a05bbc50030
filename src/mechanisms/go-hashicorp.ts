// go-hashicorp: the survey's own subject, a Go host using github.com/hashicorp/go-plugin over gRPC with the
// sample's Go plugin. Measured by the Go host itself (fixtures/go/goplugin/host + internal/harness).
import {runGoHarness} from '../go/harness.js'
import {GO_FAULTS, goCrashHost, runGoProbe, type ProbeableMechanism} from '../go/probe.js'
import {serveGoHost} from '../go/serve.js'
import {detectGo, goBuild, withBuildProgress} from '../go/toolchain.js'
import type {BenchRow} from '../report/types.js'
import {buildGoPluginPlugin} from './ts-host-go-plugin.js'

export function buildGoPluginHost() {
  return goBuild({pkg: './goplugin/host', output: 'goplugin-host'})
}

/** The Go host and the Go plugin, both cached; buildMs is the sum of both builds. */
async function build() {
  const [host, plugin] = await Promise.all([buildGoPluginHost(), buildGoPluginPlugin()])
  return {host: host.binary, args: ['-plugin', plugin.binary], buildMs: host.buildMs + plugin.buildMs, cached: host.cached && plugin.cached}
}

export const goHashicorp: ProbeableMechanism = {
  id: 'go-hashicorp',
  family: 'go',
  title: 'a Go host using github.com/hashicorp/go-plugin over gRPC, with a Go plugin',
  async detect() {
    return detectGo()
  },
  async prepare() {
    const b = await build()
    return {buildMs: b.buildMs, cached: b.cached}
  },
  async load(options) {
    const b = await build()
    return serveGoHost(b.host, b.args, {startTimeoutMs: options.startTimeoutMs, callTimeoutMs: options.callTimeoutMs})
  },
  async benchExternally(settings, _options, progress): Promise<BenchRow> {
    const support = await this.detect()
    if (!support.supported) return {mechanism: this.id, family: this.family, title: this.title, floor: this.floor, status: 'skipped', reason: support.reason}
    const b = await withBuildProgress(build, progress)
    return runGoHarness(this, b.host, settings, b, b.args)
  },
  // The fault is armed in the plugin: a go-plugin host passes its environment on to the plugin it starts.
  faults: GO_FAULTS,
  async crashHost(fault, options) {
    const b = await build()
    return goCrashHost(b.host, b.args, fault, options)
  },
  async probe(fault, options) {
    const b = await build()
    return runGoProbe(b.host, b.args, fault, options)
  },
}
