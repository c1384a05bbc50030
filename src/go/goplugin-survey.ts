// go-plugin's own host and plugin for the survey's claims about go-plugin beyond calls (fixtures/go/goplugin/survey
// and docplugin): app-version negotiation, a hot reload with go-plugin's public API, logging, terminals, and the
// host command of the orphan probe. Each function returns what was measured, as data.
import {lastLinesOf} from '../transport/stderr-buffer.js'
import {lastJsonLine} from '../transport/json-line.js'
import {describeEnd} from '../transport/process-end.js'
import {execa} from 'execa'
import type {StreamTerminals, VersionCase} from '../results/types.js'
import {PluginError} from '../sample/contract.js'
import {goBuild} from './toolchain.js'

/** The host offers these app protocol versions; the plugin serves each list in turn (VersionedPlugins). */
export const OFFERED_VERSIONS = [1, 2] as const
export const SERVED_VERSIONS: readonly (readonly number[])[] = [[1], [1, 2], [3]]

export const buildSurveyHost = () => goBuild({pkg: './goplugin/survey', output: 'goplugin-survey'})

/** The docs plugin; build 2 differs only in what its answers say served them (the hot reload's new version). */
export function buildDocPlugin(build: 1 | 2 = 1) {
  return goBuild({pkg: './goplugin/docplugin', output: build === 1 ? 'goplugin-docplugin' : 'goplugin-docplugin-build2', ldflags: build === 1 ? undefined : '-X main.build=2'})
}

/** The docs plugin's variable naming the app protocol versions it serves. */
export const SERVES_VARIABLE = 'PLUGIN_SURVEY_SERVES'

export type ServedBy = NonNullable<VersionCase['servedBy']>

/** The sample's message and, from the docs plugin, what served it: "... (app protocol 2, build 1)". */
export function parseServed(answer: string): {message: string; servedBy?: ServedBy} {
  const match = /^(.*) \(app protocol (\d+), build ([^)]+)\)$/.exec(answer)
  return match ? {message: match[1], servedBy: {appVersion: Number(match[2]), build: match[3]}} : {message: answer}
}

export interface VersionNegotiation {
  offered: number[]
  cases: VersionCase[]
}

async function runSurvey(args: string[], options: {timeoutMs?: number} = {}): Promise<unknown> {
  const host = await buildSurveyHost()
  const run = await execa(host.binary, args, {reject: false, stdin: 'ignore', timeout: options.timeoutMs ?? 60_000, killSignal: 'SIGKILL'})
  const last = lastJsonLine(run.stdout)
  if (run.exitCode !== 0 || last === undefined) {
    const how = run.timedOut ? 'did not finish in time' : describeEnd(run)
    throw new PluginError('HOST_FAILED', `go-plugin's host (${args.slice(0, 2).join(' ')}) ${how}: ${lastLinesOf(run.stderr, 3)}`)
  }
  return JSON.parse(last)
}

/** go-plugin's Go host negotiating with the docs plugin: client.NegotiatedVersion() and the plugin's answer. */
export async function negotiateWithGoHost(): Promise<VersionNegotiation> {
  const plugin = await buildDocPlugin()
  const serves = SERVED_VERSIONS.map((list) => list.join(',')).join(';')
  const result = (await runSurvey(['-mode', 'versions', '-plugin', plugin.binary, '-offer', OFFERED_VERSIONS.join(','), '-serves', serves])) as {
    offered: number[]
    cases: {serves: number[]; negotiated?: number; servedBy?: ServedBy; error?: string}[]
  }
  // The answer itself is the host's to check: what served it (servedBy) is the data.
  return {
    offered: result.offered,
    cases: result.cases.map(({serves, negotiated, servedBy, error}) => ({serves, ...(negotiated ? {negotiated} : {}), ...(servedBy ? {servedBy} : {}), ...(error ? {error: {message: error}} : {})})),
  }
}

/** What go-plugin's host counted while it swapped a running build 1 of the docs plugin for build 2. */
export interface GoHotReload {
  calls: number
  answeredByOld: number
  answeredByNew: number
  failedCalls: number
  errors?: string[]
  swapMs: number
  killOldMs: number
  oldPid: number
  newPid: number
  oldProcessExited: boolean
  oldBuild: string
  newBuild: string
}

export async function hotReloadWithGoHost(timing: {streams: number; beforeMs: number; afterMs: number}): Promise<GoHotReload> {
  const [v1, v2] = await Promise.all([buildDocPlugin(1), buildDocPlugin(2)])
  const {mode: _mode, ...result} = (await runSurvey([
    '-mode',
    'reload',
    '-plugin',
    v1.binary,
    '-next',
    v2.binary,
    `-streams=${timing.streams}`,
    `-before-ms=${timing.beforeMs}`,
    `-after-ms=${timing.afterMs}`,
  ])) as GoHotReload & {mode: string}
  return result
}

/** Where the docs plugin's hclog WARN line landed in go-plugin's host logger. */
export interface GoPluginLogging {
  pluginName: string
  hostLogger: string
  found: boolean
  level?: string
  module?: string
  message?: string
}

export async function loggingThroughGoHost(): Promise<GoPluginLogging> {
  const plugin = await buildDocPlugin()
  const {mode: _mode, ...result} = (await runSurvey(['-mode', 'log', '-plugin', plugin.binary])) as GoPluginLogging & {mode: string}
  return result
}

export type Terminals = {ran: true; pty: string; host: StreamTerminals; plugin: StreamTerminals} | {ran: false; reason: string}

/** How to run a command under a pseudo-terminal here: python3's pty module, else util-linux or BSD `script`. */
async function ptyRunner(): Promise<{name: string; command(file: string, args: string[]): [string, string[]]} | undefined> {
  const has = async (file: string, args: string[]) => (await execa(file, args, {reject: false, stdin: 'ignore'})).exitCode === 0
  if (process.platform === 'win32') return undefined
  if (await has('python3', ['-c', 'import pty'])) {
    return {name: "python3's pty module", command: (file, args) => ['python3', ['-c', 'import pty, sys; sys.exit(pty.spawn(sys.argv[1:]) >> 8)', file, ...args]]}
  }
  if (!(await has('sh', ['-c', 'command -v script']))) return undefined
  const quoted = (words: string[]) => words.map((w) => `'${w.replaceAll("'", `'\\''`)}'`).join(' ')
  return process.platform === 'linux'
    ? {name: 'script (util-linux)', command: (file, args) => ['script', ['-qec', quoted([file, ...args]), '/dev/null']]}
    : {name: 'script (BSD)', command: (file, args) => ['script', ['-q', '/dev/null', file, ...args]]}
}

/** go-plugin's host run under a pseudo-terminal: which standard streams are terminals for it and, in a call, its plugin. */
export async function terminalsThroughGoHost(): Promise<Terminals> {
  const runner = await ptyRunner()
  if (runner === undefined) return {ran: false, reason: 'no way to give the host a pseudo-terminal here: install python3 (its pty module) or `script`'}
  const [host, plugin] = await Promise.all([buildSurveyHost(), buildDocPlugin()])
  const [file, args] = runner.command(host.binary, ['-mode', 'tty', '-plugin', plugin.binary])
  const run = await execa(file, args, {reject: false, stdin: 'ignore', timeout: 60_000, killSignal: 'SIGKILL'})
  // Through a terminal, lines end in \r\n.
  const line = String(run.stdout).split(/\r?\n/).map((l) => l.trim()).find((l) => l.startsWith('{"mode":"tty"'))
  if (line === undefined) throw new PluginError('HOST_FAILED', `go-plugin's host under ${runner.name} printed no result (exit ${run.exitCode}): ${String(run.stdout).trim().slice(-300)}`)
  const result = JSON.parse(line) as {host: StreamTerminals; plugin: StreamTerminals}
  return {ran: true, pty: runner.name, host: result.host, plugin: result.plugin}
}

/** The command of the orphan probe: go-plugin's host holding a plugin, until it is killed with SIGKILL. */
export async function holdingHost(plugin: string, pluginArgs: readonly string[] = []): Promise<{file: string; args: string[]}> {
  const host = await buildSurveyHost()
  return {file: host.binary, args: ['-mode', 'hold', '-plugin', plugin, ...pluginArgs.flatMap((arg) => ['-arg', arg])]}
}
