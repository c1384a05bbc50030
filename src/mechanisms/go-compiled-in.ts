// The survey's third subject, Kubernetes scheduler-framework style: a Go host with the sample registered at
// compile time through NewHost(WithPlugin(name, factory)), so a call is a Go method call through an interface.
import {runGoHarness} from '../go/harness.js'
import {GO_FAULTS, goCrashHost, runGoProbe, type ProbeableMechanism} from '../go/probe.js'
import {serveGoHost} from '../go/serve.js'
import {detectGo, goBuild, withBuildProgress} from '../go/toolchain.js'
import type {BenchRow} from '../report/types.js'

/** Builds the host with the sample compiled in (cached). */
export async function buildCompiledInHost() {
  const host = await goBuild({pkg: './compiledin/host', output: 'compiled-in-host'})
  return {host: host.binary, args: [] as string[], buildMs: host.buildMs, cached: host.cached}
}

export const goCompiledIn: ProbeableMechanism = {
  id: 'go-compiled-in',
  family: 'go',
  title: 'a Go host with the sample registered at compile time by WithPlugin(name, factory)',
  floor: 'floor-go-direct-call',
  async detect() {
    return detectGo()
  },
  async prepare() {
    const build = await buildCompiledInHost()
    return {buildMs: build.buildMs, cached: build.cached}
  },
  async load(options) {
    const build = await buildCompiledInHost()
    return serveGoHost(build.host, build.args, {startTimeoutMs: options.startTimeoutMs, callTimeoutMs: options.callTimeoutMs})
  },
  async benchExternally(settings, _options, progress): Promise<BenchRow> {
    const support = await this.detect()
    if (!support.supported) return {mechanism: this.id, family: this.family, title: this.title, floor: this.floor, status: 'skipped', reason: support.reason}
    const build = await withBuildProgress(buildCompiledInHost, progress)
    return runGoHarness(this, build.host, settings, build, build.args)
  },
  faults: GO_FAULTS,
  async crashHost(fault, options) {
    const build = await buildCompiledInHost()
    return goCrashHost(build.host, build.args, fault, options)
  },
  async probe(fault, options) {
    const build = await buildCompiledInHost()
    return runGoProbe(build.host, build.args, fault, options)
  },
}
