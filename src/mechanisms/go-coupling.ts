// The survey's claim that a Go plugin and its host "must be built in the exact same environment", shown:
// one host built against release v1.0.0 of a shared module opens a plugin built against the same release,
// then the same plugin rebuilt against v1.1.0 (fixtures/go/coupling, a module of its own: its go.mod, and
// go.skew-v1.1.0.mod via -modfile).
import {lastJsonLine} from '../transport/json-line.js'
import {describeEnd} from '../transport/process-end.js'
import {execa} from 'execa'
import {goBuild} from '../go/toolchain.js'
import {PluginError} from '../sample/contract.js'
import {stdlibPluginFacts, stdlibPluginSupport} from './go-stdlib-plugin.js'
import {NOT_ON_WINDOWS, type Demonstration, type Row} from './row.js'
import {GO_PLUGIN_PKG} from './sources.js'

export const COUPLING_ERROR = 'plugin was built with a different version of package'
const HOST_RELEASE = 'v1.0.0'
const SKEWED_RELEASE = 'v1.1.0'

interface OpenOutcome {
  host: string
  opened: boolean
  plugin?: string
  error?: string
}

// The coupling module's own go.mod is the host's release; another release is an alternative go.mod beside it.
const modfile = (release: string) => (release === HOST_RELEASE ? undefined : `go.skew-${release}.mod`)

async function buildAgainst(release: string, what: 'host' | 'plugin') {
  const where = {dir: 'coupling', modfile: modfile(release)}
  return what === 'host'
    ? goBuild({...where, pkg: './host', output: `coupling-host-${release}`})
    : goBuild({...where, pkg: './plugin', output: `coupling-plugin-${release}.so`, buildmode: 'plugin'})
}

async function open(host: string, plugin: string): Promise<OpenOutcome> {
  const run = await execa(host, ['-plugin', plugin], {reject: false, stdin: 'ignore', timeout: 30_000})
  const last = lastJsonLine(run.stdout)
  if (run.exitCode !== 0 || last === undefined) {
    throw new PluginError('HOST_DIED', `the coupling host ${describeEnd(run)}: ${String(run.stderr).trim().split('\n').slice(0, 3).join(' | ')}`)
  }
  return JSON.parse(last) as OpenOutcome
}

/** Builds the three binaries and opens both plugins; the outcome of each plugin.Open, for the row. */
export async function demonstrateCoupling(progress?: (message: string) => void) {
  progress?.('go build of the host and both plugins (reused when the sources and Go are unchanged)')
  const host = await buildAgainst(HOST_RELEASE, 'host')
  const matching = await buildAgainst(HOST_RELEASE, 'plugin')
  const skewed = await buildAgainst(SKEWED_RELEASE, 'plugin')
  progress?.('plugin.Open of both plugins')
  return {
    matching: await open(host.binary, matching.binary),
    skewed: await open(host.binary, skewed.binary),
    buildMs: host.buildMs + matching.buildMs + skewed.buildMs,
    cached: host.cached && matching.cached && skewed.cached,
  }
}

export const goCoupling: Row & Demonstration = {
  id: 'go-coupling',
  family: 'go',
  title: `a Go plugin built against a shared module at ${SKEWED_RELEASE}, opened by a host built against ${HOST_RELEASE}`,
  runs: {where: 'same-thread', host: 'go', plugin: 'go'},
  platforms: {support: NOT_ON_WINDOWS, note: 'a demonstration of the Go plugin package: the same platforms', sources: [GO_PLUGIN_PKG]},
  async detect() {
    return stdlibPluginSupport(stdlibPluginFacts())
  },
  async demonstrate(progress) {
    const {matching, skewed, buildMs, cached} = await demonstrateCoupling(progress)
    if (!matching.opened) {
      throw new PluginError('CONTROL_FAILED', `a plugin built against the host's own release ${HOST_RELEASE} did not open either, so no skew can be shown: ${matching.error}`)
    }
    const control = `control: host and plugin both built against skew ${HOST_RELEASE}: plugin.Open succeeded (the plugin reports ${matching.plugin})`
    const finding = skewed.opened
      ? `plugin.Open accepted a plugin built against skew ${SKEWED_RELEASE} (it reports ${skewed.plugin}) in a host built against ${HOST_RELEASE}`
      : // The plugin's path is this machine's cache: its file name is all a reader of the report needs.
        (skewed.error ?? '').replace(/plugin\.Open\("([^"]*[\\/])?([^"\\/]+)"\)/, 'plugin.Open("$2")')
    const skew = skewed.opened ? finding : `plugin rebuilt against skew ${SKEWED_RELEASE}, host against ${HOST_RELEASE}: ${finding}`
    return {finding, buildMs, buildCached: cached, notes: [control, skew]}
  },
}
