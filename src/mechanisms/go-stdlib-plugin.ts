// The survey's first subject: a Go host that plugin.Open's the sample built with `go build -buildmode=plugin`
// and calls what Lookup finds. Go plugins exist only on linux, darwin and freebsd, and only with cgo.
import {execFileSync} from 'node:child_process'
import {existsSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type {Support} from '../core/support.js'
import {GO_FAULTS} from '../go/probe.js'
import {detectGo, goBuild, goEnv, goModuleDir} from '../go/toolchain.js'
import {GO_IN_PROCESS, faultsFrom} from './expectations.js'
import {goHostRow} from './go-host-row.js'
import {NOT_ON_WINDOWS} from './row.js'
import {GO_ISSUE_19282, GO_PLUGIN_PKG} from './sources.js'
import {SCALES_BOTH} from './scale-facts.js'

/** The platforms Go's plugin package documents (pkg.go.dev/plugin); on any other, the toolchain is asked. */
const PLUGIN_PLATFORMS: readonly string[] = ['linux', 'darwin', 'freebsd']

/** The toolchain's refusal of the build mode (cmd/go: "-buildmode=plugin not supported on windows/amd64"). */
export const NOT_SUPPORTED = '-buildmode=plugin not supported on'

/** The line of a `go build` error output that refuses the plugin build mode, if one does. */
export function toolchainRefusal(stderr: string): string | undefined {
  return stderr.split('\n').find((line) => line.includes(NOT_SUPPORTED))?.trim()
}

/** What decides whether Go plugins can be built and opened here (gathered by stdlibPluginFacts). */
export interface StdlibPluginFacts {
  platform: string
  go: Support
  /** `go env CGO_ENABLED`. */
  cgoEnabled: string
  /** CGO_ENABLED as set in this process's environment, if it is. */
  cgoEnabledEnv?: string
  /** `go env CC`. */
  cc: string
  ccOnPath: boolean
  /** Off the documented platforms, what the toolchain said when asked to build the sample plugin: its refusal. */
  toolchainRefusal?: string
}

/** Whether Go plugins work with these facts; when not, which fact is missing and what to install or set. */
export function stdlibPluginSupport(facts: StdlibPluginFacts): Support {
  if (!facts.go.supported) return facts.go
  // Skipped on what was tried, not on the documented list: the toolchain's own refusal.
  if (facts.toolchainRefusal) return {supported: false, reason: `the Go toolchain refuses to build a plugin here: "${facts.toolchainRefusal}" (golang/go#19282)`}
  const noCompiler = `no C compiler: go env CC is "${facts.cc}", which is not on PATH; Go plugins need cgo: install gcc or clang (e.g. \`apt-get install gcc\`, \`xcode-select --install\`) or point CC at one`
  if (facts.cgoEnabled === '0') {
    if (facts.cgoEnabledEnv === '0') return {supported: false, reason: 'cgo is disabled: CGO_ENABLED=0 is set in the environment; Go plugins need cgo: unset it or set CGO_ENABLED=1'}
    // Go turns cgo off by itself when it finds no C compiler: name the compiler, the real fix.
    if (!facts.ccOnPath) return {supported: false, reason: noCompiler}
    return {supported: false, reason: 'cgo is disabled: go env CGO_ENABLED is 0; Go plugins need cgo: run `go env -w CGO_ENABLED=1` (and have gcc or clang installed)'}
  }
  if (!facts.ccOnPath) return {supported: false, reason: noCompiler}
  return {supported: true, detail: `${facts.go.detail ?? 'go'}, cgo with ${facts.cc}`}
}

// Whether a command (a name or a path, maybe followed by arguments, as CC may be) can be found.
function onPath(command: string): boolean {
  const file = command.trim().split(/\s+/)[0] ?? ''
  if (file === '') return false
  if (file.includes(path.sep)) return existsSync(file)
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir !== '' && existsSync(path.join(dir, file)))
}

// Asks the toolchain for the sample plugin: it refuses an unsupported platform at once, before compiling anything.
// Asked once per process: detect() is called often.
let toolchainAnswer: {refusal?: string} | undefined
function askToolchain(): string | undefined {
  toolchainAnswer ??= {refusal: buildRefusal()}
  return toolchainAnswer.refusal
}

function buildRefusal(): string | undefined {
  const output = path.join(os.tmpdir(), `ps-plugin-${process.pid}.so`)
  try {
    execFileSync('go', ['build', '-buildmode=plugin', '-o', output, './stdlib/plugin'], {cwd: goModuleDir, env: {...process.env, GOFLAGS: '-mod=readonly'}, stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000})
    return undefined
  } catch (error) {
    return toolchainRefusal(String((error as {stderr?: unknown}).stderr ?? ''))
  } finally {
    rmSync(output, {force: true})
  }
}

/** The facts of this machine. */
export function stdlibPluginFacts(): StdlibPluginFacts {
  const go = detectGo()
  const env = go.supported ? goEnv(['CGO_ENABLED', 'CC']) : null
  const cc = env?.CC ?? ''
  const toolchainRefusal = go.supported && !PLUGIN_PLATFORMS.includes(process.platform) ? askToolchain() : undefined
  return {platform: process.platform, go, cgoEnabled: env?.CGO_ENABLED ?? '', cgoEnabledEnv: process.env.CGO_ENABLED, cc, ccOnPath: onPath(cc), ...(toolchainRefusal ? {toolchainRefusal} : {})}
}

/** Builds the sample .so and its host (each cached); the build time is the two builds' sum. */
export async function buildStdlibPlugin() {
  const plugin = await goBuild({pkg: './stdlib/plugin', output: 'sample.so', buildmode: 'plugin'})
  const host = await goBuild({pkg: './stdlib/host', output: 'stdlib-host'})
  return {host: host.binary, args: ['-plugin', plugin.binary], buildMs: plugin.buildMs + host.buildMs, cached: plugin.cached && host.cached}
}

export const goStdlibPlugin = goHostRow({
  id: 'go-stdlib-plugin',
  family: 'go',
  title: 'a Go host loading the sample built with -buildmode=plugin (plugin.Open + Lookup)',
  floors: {call: 'floor-go-direct-call'},
  // Tried, not assumed: the host names the plugin each load returned, and the scale figures count them.
  scale: SCALES_BOTH,
  runs: {where: 'same-thread', host: 'go', plugin: 'go'},
  platforms: {support: NOT_ON_WINDOWS, note: 'needs cgo; a plugin can never be unloaded (golang/go#20461)', sources: [GO_PLUGIN_PKG, GO_ISSUE_19282]},
  survey: [{subject: 'go-stdlib-plugin', role: 'subject'}],
  faults: faultsFrom(GO_IN_PROCESS, GO_FAULTS),
  reload: {possible: false, why: 'a Go plugin cannot be unloaded or replaced once opened (golang/go#20461): a new version means restarting the host'},
  async detect() {
    return stdlibPluginSupport(stdlibPluginFacts())
  },
  build: buildStdlibPlugin,
})
