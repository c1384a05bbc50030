// go-yaegi: Traefik's plugin system, github.com/traefik/yaegi: the plugin is Go source that the host interprets
// at run time, inside its own process. No build step for the plugin, no process boundary: what the interpreter
// contains is the question the crash cells answer. Measured by the Go host (fixtures/go/yaegi/host).
import {detectGo, goBuild} from '../go/toolchain.js'
import {fixturePath} from '../paths.js'
import {dies, survives} from './expectations.js'
import {goHostRow} from './go-host-row.js'
import {EVERYWHERE} from './row.js'
import {SCALES_BOTH} from './scale-facts.js'

const YAEGI = 'https://github.com/traefik/yaegi'
const YAEGI_SOURCE = 'yaegi interp: restricted stdlib (stdlib/restricted.go: os.Exit panics instead of exiting), goroutines of interpreted code are Go goroutines; Go spec "Handling panics"'

/** The plugin's source, read by the host at run time. */
export const yaegiPluginSource = fixturePath('go', 'yaegi', 'plugin', 'printer.go')

// The Go fault set as the interpreted plugin writes it; no `segfault`: the host gives it no `unsafe`, as Traefik.
const FAULTS = {
  throw: survives(['PLUGIN_PANIC'], YAEGI_SOURCE, "an interpreted panic reaches the host's recover() in the calling goroutine"),
  reject: dies('HOST_DIED', YAEGI_SOURCE, 'a panic in a goroutine the interpreted code started ends the host with exit code 2'),
  exit: survives(['PLUGIN_PANIC'], YAEGI_SOURCE, 'restricted os.Exit panics ("os.Exit(3)"), which the host recovers'),
  'nil-deref': survives(['PLUGIN_PANIC'], YAEGI_SOURCE, 'a recoverable panic'),
  hang: survives(['CALL_TIMEOUT'], YAEGI_SOURCE, 'the host times the call out; the interpreted loop spins on in its goroutine'),
  never: survives(['CALL_TIMEOUT'], YAEGI_SOURCE, 'the host times the call out; the goroutine leaks'),
  oom: dies('HOST_DIED', 'Go runtime: "fatal error: runtime: out of memory" cannot be recovered: the interpreter allocates on the host\'s heap'),
  'stdout-garbage': survives([], YAEGI_SOURCE, 'stdout is not the call channel'),
}

export const goYaegi = goHostRow({
  id: 'go-yaegi',
  family: 'go',
  title: 'a Go host interpreting the Go source of the plugin with github.com/traefik/yaegi',
  floors: {call: 'floor-go-direct-call'},
  runs: {where: 'same-thread', host: 'go', plugin: 'go'},
  platforms: {support: EVERYWHERE, note: 'pure Go, no cgo', sources: [YAEGI]},
  faults: FAULTS,
  // N plugins: N interpreters in the host; calls take the harness's lock (the plugin's number is a package variable).
  scale: SCALES_BOTH,
  reload: {possible: true, how: 'a new Go host interpreting the source anew, swapped in by the careful host (the row takes no plugin path: the same source)'},
  async detect() {
    return detectGo()
  },
  build: async () => {
    const host = await goBuild({pkg: './yaegi/host', output: 'yaegi-host'})
    return {host: host.binary, args: ['-source', yaegiPluginSource], buildMs: host.buildMs, cached: host.cached}
  },
})
