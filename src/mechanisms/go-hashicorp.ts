// go-hashicorp: the survey's own subject, a Go host using github.com/hashicorp/go-plugin over gRPC with the
// sample's Go plugin. Measured by the Go host itself (fixtures/go/goplugin/host + internal/harness).
import {goHostMechanism} from '../go/go-host-mechanism.js'
import {GO_FAULTS} from '../go/probe.js'
import {detectGo, goBuild} from '../go/toolchain.js'
import {buildGoPluginPlugin} from './ts-host-go-plugin.js'

export function buildGoPluginHost() {
  return goBuild({pkg: './goplugin/host', output: 'goplugin-host'})
}

/** The Go host and the Go plugin, both cached; buildMs is the sum of both builds. */
export async function buildGoHashicorp() {
  const [host, plugin] = await Promise.all([buildGoPluginHost(), buildGoPluginPlugin()])
  return {host: host.binary, args: ['-plugin', plugin.binary], buildMs: host.buildMs + plugin.buildMs, cached: host.cached && plugin.cached}
}

export const goHashicorp = goHostMechanism({
  id: 'go-hashicorp',
  family: 'go',
  title: 'a Go host using github.com/hashicorp/go-plugin over gRPC, with a Go plugin',
  // The fault is armed in the plugin: a go-plugin host passes its environment on to the plugin it starts.
  faults: [...GO_FAULTS, 'stdio-lines'],
  detect: detectGo,
  build: buildGoHashicorp,
})
