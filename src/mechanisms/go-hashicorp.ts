// go-hashicorp: the survey's own subject, a Go host using github.com/hashicorp/go-plugin over gRPC with the
// sample's Go plugin. Measured by the Go host itself (fixtures/go/goplugin/host + internal/harness).
import {GO_FAULTS} from '../go/probe.js'
import {detectGo, goBuild} from '../go/toolchain.js'
import {STDIO_FAULT} from '../sample/faults.js'
import {GO_PLUGIN_HOST, faultsFrom} from './expectations.js'
import {goHostRow} from './go-host-row.js'
import {EVERYWHERE, type Reload} from './row.js'
import {HASHICORP} from './sources.js'
import {buildGoPluginPlugin} from './ts-host-go-plugin.js'
import {SCALES_BOTH} from './scale-facts.js'

export function buildGoPluginHost() {
  return goBuild({pkg: './goplugin/host', output: 'goplugin-host'})
}

/** How the rows with a Go go-plugin host reload: a new Go host with its plugin, swapped in by the careful host. */
export const GO_PLUGIN_HOST_RELOAD: Reload = {
  possible: true,
  how: 'a new Go host and plugin, started by the careful host and swapped in once ready',
  note: 'go-plugin has no reload of its own (go-plugin#31): the careful host started a new Go host and plugin and swapped it in',
}

/** The Go host and the Go plugin, both cached; buildMs is the sum of both builds. */
export async function buildGoHashicorp() {
  const [host, plugin] = await Promise.all([buildGoPluginHost(), buildGoPluginPlugin()])
  return {host: host.binary, args: ['-plugin', plugin.binary], buildMs: host.buildMs + plugin.buildMs, cached: host.cached && plugin.cached}
}

export const goHashicorp = goHostRow({
  id: 'go-hashicorp',
  family: 'go',
  title: 'a Go host using github.com/hashicorp/go-plugin over gRPC, with a Go plugin',
  // The same grpc-go over a unix socket, without go-plugin: what go-plugin itself adds is the ratio.
  floors: {call: 'floor-go-grpc', coldStart: 'floor-go-grpc'},
  runs: {where: 'other-process', host: 'go', plugin: 'go', protocol: 'go-plugin'},
  platforms: {support: EVERYWHERE, note: 'TCP on 127.0.0.1 instead of a unix socket on Windows', sources: [HASHICORP]},
  survey: [{subject: 'go-plugin', role: 'subject'}],
  // The survey's "slower than a plugin call": against the stdlib plugin, in the same machine state.
  versus: ['go-stdlib-plugin'],
  // The fault is armed in the plugin: a go-plugin host passes its environment on to the plugin it starts.
  faults: faultsFrom(GO_PLUGIN_HOST, [...GO_FAULTS, STDIO_FAULT.id]),
  // Measured by go-plugin's own host (src/measure/crash/go-plugin-features.ts), not by crash-test's careful host.
  reload: {
    possible: true,
    how: "go-plugin's own Go host, with its public API: a new Client with the new build, new calls to it, then Kill of the old (fixtures/go/goplugin/survey -mode reload)",
    note: 'go-plugin has no reload of its own (go-plugin#31): the reload is the host\'s doing',
  },
  scale: SCALES_BOTH,
  async detect() {
    return detectGo()
  },
  build: buildGoHashicorp,
})
