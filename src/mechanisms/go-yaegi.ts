// go-yaegi: Traefik's plugin system, github.com/traefik/yaegi: the plugin is Go source that the host interprets
// at run time, inside its own process. No build step for the plugin, no process boundary: what the interpreter
// contains is the question the crash cells answer. Measured by the Go host (fixtures/go/yaegi/host).
import {goHostMechanism} from '../go/go-host-mechanism.js'
import {detectGo, goBuild} from '../go/toolchain.js'
import {fixturePath} from '../paths.js'

/** The plugin's source, read by the host at run time. */
export const yaegiPluginSource = fixturePath('go', 'yaegi', 'plugin', 'printer.go')

/** The Go fault set as the interpreted plugin writes it; no `segfault`: the host gives it no `unsafe`, as Traefik. */
export const YAEGI_FAULTS = ['throw', 'reject', 'exit', 'nil-deref', 'hang', 'never', 'oom', 'stdout-garbage'] as const

export const goYaegi = goHostMechanism({
  id: 'go-yaegi',
  family: 'go',
  title: 'a Go host interpreting the Go source of the plugin with github.com/traefik/yaegi',
  floor: 'floor-go-direct-call',
  faults: YAEGI_FAULTS,
  detect: detectGo,
  build: async () => {
    const host = await goBuild({pkg: './yaegi/host', output: 'yaegi-host'})
    return {host: host.binary, args: ['-source', yaegiPluginSource], buildMs: host.buildMs, cached: host.cached}
  },
})
