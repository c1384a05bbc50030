// The survey's third subject, Kubernetes scheduler-framework style: a Go host with the sample registered at
// compile time through NewHost(WithPlugin(name, factory)), so a call is a Go method call through an interface.
import {goHostMechanism} from '../go/go-host-mechanism.js'
import {GO_FAULTS} from '../go/probe.js'
import {detectGo, goBuild} from '../go/toolchain.js'
import {SCALES_BOTH} from './scale-facts.js'

/** Builds the host with the sample compiled in (cached). */
export async function buildCompiledInHost() {
  const host = await goBuild({pkg: './compiledin/host', output: 'compiled-in-host'})
  return {host: host.binary, args: [] as string[], buildMs: host.buildMs, cached: host.cached}
}

export const goCompiledIn = goHostMechanism({
  id: 'go-compiled-in',
  family: 'go',
  title: 'a Go host with the sample registered at compile time by WithPlugin(name, factory)',
  floor: 'floor-go-direct-call',
  faults: GO_FAULTS,
  detect: detectGo,
  // framework.Host.Printer calls the plugin's factory each time: N loads are N instances, as per scheduler profile.
  scale: SCALES_BOTH,
  build: buildCompiledInHost,
})
