// go-pie: natefinch/pie, which the survey names as go-plugin's simpler ancestor: a Go host starts the Go plugin
// with pie.StartProvider and calls it over net/rpc (gob) on the plugin's own stdin and stdout. No handshake, no
// socket, no health check: stdout is the call channel. Measured by the Go host (fixtures/go/pie/host).
import {goHostMechanism} from '../go/go-host-mechanism.js'
import {GO_FAULTS} from '../go/probe.js'
import {detectGo, goBuild} from '../go/toolchain.js'

/** The pie plugin (fixtures/go/pie/plugin): gob by default, JSON-RPC 1.0 with -jsonrpc. */
export function buildPiePlugin() {
  return goBuild({pkg: './pie/plugin', output: 'pie-plugin'})
}

async function build() {
  const [host, plugin] = await Promise.all([goBuild({pkg: './pie/host', output: 'pie-host'}), buildPiePlugin()])
  return {host: host.binary, args: ['-plugin', plugin.binary], buildMs: host.buildMs + plugin.buildMs, cached: host.cached && plugin.cached}
}

export const goPie = goHostMechanism({
  id: 'go-pie',
  family: 'go',
  title: "a Go host using github.com/natefinch/pie (net/rpc, gob over the plugin's stdin and stdout), with a Go plugin",
  // The fault is armed in the plugin: pie starts it with the host's environment.
  faults: GO_FAULTS,
  detect: detectGo,
  build,
})
