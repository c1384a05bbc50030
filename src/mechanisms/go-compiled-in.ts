// The survey's third subject, Kubernetes scheduler-framework style: a Go host with the sample registered at
// compile time through NewHost(WithPlugin(name, factory)), so a call is a Go method call through an interface.
import {GO_FAULTS} from '../go/probe.js'
import {detectGo, goBuild} from '../go/toolchain.js'
import {GO_IN_PROCESS, faultsFrom} from './expectations.js'
import {goHostRow} from './go-host-row.js'
import {EVERYWHERE} from './row.js'
import {GO_PORTS} from './sources.js'
import {SCALES_BOTH} from './scale-facts.js'

/** Builds the host with the sample compiled in (cached). */
export async function buildCompiledInHost() {
  const host = await goBuild({pkg: './compiledin/host', output: 'compiled-in-host'})
  return {host: host.binary, args: [] as string[], buildMs: host.buildMs, cached: host.cached}
}

export const goCompiledIn = goHostRow({
  id: 'go-compiled-in',
  family: 'go',
  title: 'a Go host with the sample registered at compile time by WithPlugin(name, factory)',
  floors: {call: 'floor-go-direct-call'},
  // framework.Host.Printer calls the plugin's factory each time: N loads are N instances, as per scheduler profile.
  scale: SCALES_BOTH,
  runs: {where: 'same-thread', host: 'go', plugin: 'go'},
  platforms: {support: EVERYWHERE, sources: [GO_PORTS]},
  survey: [{subject: 'compiled-in', role: 'subject'}],
  faults: faultsFrom(GO_IN_PROCESS, GO_FAULTS),
  reload: {possible: false, why: 'the plugin is compiled into the Go host: a new version means rebuilding and restarting the host'},
  async detect() {
    return detectGo()
  },
  build: buildCompiledInHost,
})
