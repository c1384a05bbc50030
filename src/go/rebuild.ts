// "You must compile the whole binary yourself", made refutable: each Go host is built once with its plugin (the
// bench's own cached builds: -trimpath makes them the builds a scratch copy would make); then, in a scratch copy
// of fixtures/go, the plugin's source changes (its answer gains a suffix) and only what must be rebuilt is rebuilt.
// A compiled-in host carries the plugin inside it: the old host binary still answers the old way, and only a
// rebuilt host (a new binary, another hash) answers the new way. A stdlib-plugin host and a
// go-plugin host are not rebuilt: the same host binary (same hash) loads the rebuilt plugin and answers anew.
import {createHash} from 'node:crypto'
import {copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import {execa} from 'execa'
import {lastLinesOf} from '../transport/stderr-buffer.js'
import type {RebuildCase} from '../results/types.js'
import {PluginError} from '../sample/contract.js'
import {runGoProbe} from './probe.js'
import {goBuild, goModuleDir} from './toolchain.js'

/** The suffix the changed plugin adds to the sample's answer. */
export const CHANGED_SUFFIX = ' (changed plugin)'

type RebuildSubject = RebuildCase['mechanism']

interface Subject {
  mechanism: RebuildSubject
  host: string
  /** The name of the host's cached build (the bench row's own). */
  hostOutput: string
  /** The plugin's own build and the name of its cached build; absent where the plugin is compiled into the host. */
  plugin?: {pkg: string; output: string; buildmode?: 'plugin'}
  /** The file holding the plugin's answer. */
  source: string
}

const SUBJECTS: readonly Subject[] = [
  {mechanism: 'go-compiled-in', host: './compiledin/host', hostOutput: 'compiled-in-host', source: 'compiledin/printer/printer.go'},
  {mechanism: 'go-stdlib-plugin', host: './stdlib/host', hostOutput: 'stdlib-host', plugin: {pkg: './stdlib/plugin', output: 'sample.so', buildmode: 'plugin'}, source: 'stdlib/plugin/main.go'},
  {mechanism: 'go-hashicorp', host: './goplugin/host', hostOutput: 'goplugin-host', plugin: {pkg: './goplugin/plugin', output: 'goplugin-plugin'}, source: 'goplugin/plugin/main.go'},
]

const hashOf = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16)

/** The plugin's source with its answer changed: the first `sample.Message(...)` gains CHANGED_SUFFIX. */
export function changeAnswer(source: string, file: string): string {
  const changed = source.replace(/sample\.Message\(((?:[^()]|\([^()]*\))*)\)/, (call) => `(${call} + ${JSON.stringify(CHANGED_SUFFIX)})`)
  if (changed === source) throw new PluginError('REBUILD_SOURCE', `${file} has no sample.Message(...) call to change: the rebuild demonstration needs one`)
  return changed
}

async function build(dir: string, pkg: string, output: string, buildmode?: 'plugin'): Promise<number> {
  const started = performance.now()
  const args = ['build', '-trimpath', ...(buildmode ? [`-buildmode=${buildmode}`] : []), '-o', output, pkg]
  const run = await execa('go', args, {cwd: dir, env: {GOFLAGS: '-mod=readonly'}, reject: false, stdin: 'ignore'})
  if (run.exitCode !== 0) throw new PluginError('GO_BUILD_FAILED', `go build ${pkg} failed: ${lastLinesOf(run.stderr, 4)}`)
  return Math.round(performance.now() - started)
}

async function answerOf(host: string, plugin: string | undefined): Promise<string> {
  const outcome = await runGoProbe(host, plugin ? ['-plugin', plugin] : [], undefined, {callTimeoutMs: 10_000})
  if (!outcome.hostSurvived) throw new PluginError('HOST_DIED', `${path.basename(host)} ended (exit ${outcome.exitCode ?? outcome.signal}): ${outcome.stderrHead.split('\n')[0] ?? ''}`)
  if (outcome.verdict.answer === null) throw new PluginError('NO_ANSWER', `${path.basename(host)} did not answer: ${outcome.verdict.error?.message ?? 'no error'}`)
  return outcome.verdict.answer
}

async function rebuildCase(dir: string, subject: Subject): Promise<RebuildCase> {
  const host = path.join(dir, 'bin', `${subject.mechanism}-host`)
  const plugin = subject.plugin ? path.join(dir, 'bin', `${subject.mechanism}-plugin${subject.plugin.buildmode ? '.so' : ''}`) : undefined
  // The first builds, as the bench rows use them (built now unless cached), copied into the scratch folder.
  copyFileSync((await goBuild({pkg: subject.host, output: subject.hostOutput})).binary, host)
  if (subject.plugin) {
    const {pkg, output, buildmode} = subject.plugin
    copyFileSync((await goBuild({pkg, output, ...(buildmode ? {buildmode} : {})})).binary, plugin!)
  }
  const hostHashBefore = hashOf(host)
  const answerBefore = await answerOf(host, plugin)

  const file = path.join(dir, subject.source)
  writeFileSync(file, changeAnswer(readFileSync(file, 'utf8'), subject.source))
  if (subject.plugin) {
    // Only the plugin is rebuilt, into the same path; the host binary is left exactly as it was.
    const rebuildMs = await build(dir, subject.plugin.pkg, plugin!, subject.plugin.buildmode)
    return {mechanism: subject.mechanism, rebuilt: 'plugin', rebuildMs, hostHashBefore, hostHashAfter: hashOf(host), answerBefore, answerAfter: await answerOf(host, plugin)}
  }
  // The plugin lives in the host: the first binary cannot see the change; a new host binary is built beside it.
  const answerAfter = await answerOf(host, undefined)
  const rebuiltHost = `${host}-rebuilt`
  const rebuildMs = await build(dir, subject.host, rebuiltHost)
  return {mechanism: subject.mechanism, rebuilt: 'host', rebuildMs, hostHashBefore, hostHashAfter: hashOf(rebuiltHost), answerBefore, answerAfter, rebuiltHostAnswer: await answerOf(rebuiltHost, undefined)}
}

/** Copies fixtures/go to a scratch folder and runs every subject there (the stdlib plugin only where `stdlib`). */
export async function demonstrateRebuilds(options: {stdlib: boolean}, progress?: (message: string) => void): Promise<RebuildCase[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plugin-survey-rebuild-'))
  try {
    cpSync(goModuleDir, dir, {recursive: true, filter: (source) => !source.split(path.sep).includes('bin')})
    mkdirSync(path.join(dir, 'bin'), {recursive: true})
    const cases: RebuildCase[] = []
    for (const subject of SUBJECTS) {
      if (subject.mechanism === 'go-stdlib-plugin' && !options.stdlib) continue
      progress?.(`${subject.mechanism}: build, change the plugin, rebuild what must be`)
      cases.push(await rebuildCase(dir, subject))
    }
    return cases
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}
