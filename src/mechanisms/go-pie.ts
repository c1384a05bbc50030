// go-pie: natefinch/pie, which the survey names as go-plugin's simpler ancestor: a Go host starts the Go plugin
// with pie.StartProvider and calls it over net/rpc (gob) on the plugin's own stdin and stdout. No handshake, no
// socket, no health check: stdout is the call channel. Measured by the Go host (fixtures/go/pie/host).
import {GO_FAULTS} from '../go/probe.js'
import {detectGo, goBuild} from '../go/toolchain.js'
import {survives} from './expectations.js'
import {goHostRow} from './go-host-row.js'
import {EVERYWHERE, type Faults} from './row.js'
import {GO_PORTS, PIE, PIE_SOURCE} from './sources.js'
import {SCALES_BOTH} from './scale-facts.js'


/** The pie plugin (fixtures/go/pie/plugin): gob by default, JSON-RPC 1.0 with -jsonrpc. */
export function buildPiePlugin() {
  return goBuild({pkg: './pie/plugin', output: 'pie-plugin'})
}

async function build() {
  const [host, plugin] = await Promise.all([goBuild({pkg: './pie/host', output: 'pie-host'}), buildPiePlugin()])
  return {host: host.binary, args: ['-plugin', plugin.binary], buildMs: host.buildMs + plugin.buildMs, cached: host.cached && plugin.cached}
}

// Every fault ends only the plugin process; the Go host sees a broken net/rpc call (PLUGIN_ERROR) and its next
// call starts a new plugin (fixtures/go/pie/host: pie has no restart of its own).
const dead = (note: string) => survives(['PLUGIN_ERROR'], PIE_SOURCE, note)
const FAULTS = {
  throw: dead('the plugin process dies of the panic; the call fails (unexpected EOF); the host starts a new plugin'),
  reject: dead('the plugin process dies; the host starts a new plugin'),
  exit: dead('the call fails with unexpected EOF; the host starts a new plugin'),
  segfault: dead('the plugin process dies of SIGSEGV alone'),
  'nil-deref': dead('the plugin process dies of the panic alone'),
  hang: survives(['CALL_TIMEOUT'], PIE_SOURCE, 'a host timeout; the new plugin replaces the killed one'),
  never: survives(['CALL_TIMEOUT'], PIE_SOURCE, 'a host timeout'),
  // The plugin has no memory cap: whether it dies of it or the call times out first is a race with the timeout.
  oom: survives(['CALL_TIMEOUT', 'PLUGIN_ERROR'], PIE_SOURCE, 'the plugin process dies alone'),
  'stdout-garbage': dead('stdout is the call channel: the garbage breaks the gob stream and the call fails; the host starts a new plugin'),
} as const satisfies Record<(typeof GO_FAULTS)[number], Faults[string]>

export const goPie = goHostRow({
  id: 'go-pie',
  family: 'go',
  title: "a Go host using github.com/natefinch/pie (net/rpc, gob over the plugin's stdin and stdout), with a Go plugin",
  runs: {where: 'other-process', host: 'go', plugin: 'go'},
  platforms: {support: EVERYWHERE, note: "stdin/stdout pipes: every platform Go's os/exec runs on", sources: [PIE, GO_PORTS]},
  // The fault is armed in the plugin: pie starts it with the host's environment.
  faults: FAULTS,
  // N plugins: N plugin processes; net/rpc serves each request in a goroutine of its own, so calls overlap.
  scale: SCALES_BOTH,
  reload: {
    possible: true,
    how: 'a new Go host and plugin, started by the careful host and swapped in once ready',
    note: 'pie has no reload of its own: the careful host started a new Go host and plugin and swapped it in',
  },
  async detect() {
    return detectGo()
  },
  build,
})
