// Orchestrates crash-test: every (mechanism, fault) cell, then hot reload and orphans, each probe in a
// throwaway host, one at a time. Each probe becomes a row of data; a host dying is a finding, not an error.
import {describeEnd as endedHow} from '../../transport/process-end.js'
import {goFaultUnavailable} from '../../go/probe.js'
import {faultsOf, hasOwnCrashHost, isCrashProbeable, isLoadable, type CrashProbeable, type Expectation, type Loadable, type OwnCrashHost, type Row} from '../../mechanisms/row.js'
import {distPath} from '../../paths.js'
import type {CrashExpectation, CrashRow, HotReloadRow, LoggingRow, OrphanRow, TerminalRow, VersionRow} from '../../results/types.js'
import {cellFailed, cellOf, cellSkipped, failed, orphansCounted, probedCell, refOf, reloadMeasured, skipped, type CellOutcome} from '../../results/variants.js'
import {errorLine} from '../../sample/contract.js'
import {armedByModule, faultNodeArgs, faultUnavailable, strikesAtStart} from '../../sample/faults.js'
import type {HostCommand} from '../../transport/types.js'
import {GO_PLUGIN_ROW, hasGoPluginOrphanProbe, hasVersionProbe, probeGoPluginOrphans, probeGoPluginReload, probeLogging, probeTerminals, probeVersions} from './go-plugin-features.js'
import {runHost, type HostRun} from './host-run.js'
import {canCountOrphans} from './orphans.js'
import {round} from '../stats.js'
import {probeDeadlineMs, type CrashJob, type CrashSettings} from './settings.js'

/** A row crash-test probes: it declares its faults, and this process or a host of its own can load its plugin. */
export type ProbedRow = Row & CrashProbeable & (Loadable | OwnCrashHost)

/** The throwaway Node host of a job; `faultArgs`, Node flags for the process the plugin runs in, when that is this host. */
function nodeHost(job: CrashJob, faultArgs: readonly string[] = []): HostCommand {
  const {settings} = job
  return {
    file: process.execPath,
    // The heap cap makes an in-process `oom` end in a second; --expose-gc lets hot reload measure module retention.
    args: [`--max-old-space-size=${settings.heapLimitMb}`, '--expose-gc', ...faultArgs, distPath('src', 'hosts', 'crash-host.js'), JSON.stringify(job)],
    env: {PLUGIN_SURVEY_SLOW_START_MS: String(3 * settings.startTimeoutMs)},
  }
}

/** The line of a dead host's stderr that says why (a fatal error, a panic, an uncaught exception), else its last line. */
function lastWords(stderr: string): string | undefined {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l.length > 0 && !/^at |^\^|^Node\.js v/.test(l))
  const fatal = lines.find((l) => /FATAL ERROR|Error:|Segmentation|panic:|fatal error:/i.test(l))
  return (fatal ?? lines.at(-1))?.slice(0, 300)
}

function describeEnd(run: HostRun): string {
  if (run.spawnError !== undefined) return `could not be started (${run.spawnError})`
  if (run.timedOut) return "overran crash-test's deadline and was killed"
  return endedHow(run)
}

/** Turns what one probe's host did into a crash row compared with its expectation. */
export function crashRowOf(mechanism: ProbedRow, fault: string, run: HostRun, settings: CrashSettings): CrashRow {
  const expected = mechanism.faults[fault]!
  const cell = cellOf(mechanism, fault)
  const result = run.events.find((e) => e.event === 'result')
  const failed = run.events.find((e) => e.event === 'failed')
  const injected = run.events.some((e) => e.event === 'injecting')
  const words = lastWords(run.stderr)
  let outcome: CellOutcome
  if (result?.event === 'result') {
    // A host that reported and then ended badly anyway (a panic or rejection that struck late) did not survive.
    const diedLate = !run.timedOut && (run.signal !== undefined || (run.exitCode ?? 0) !== 0)
    outcome = {
      hostSurvived: !diedLate,
      ...(diedLate ? {exitCode: run.exitCode, signal: run.signal} : {}),
      errorCode: result.errorCode,
      errorMessage: result.errorMessage,
      detectMs: result.detectMs,
      recovered: result.recovered && !diedLate,
      orphans: run.orphans,
      ...(result.stdio ? {stdio: result.stdio} : {}),
      notes: [
        ...(result.notes ?? []),
        ...(result.recoveryError ? [`the next call failed: ${result.recoveryError}`] : []),
        ...(result.stdio ? [`the host received ${result.stdio.stdoutLines} stdout and ${result.stdio.stderrLines} stderr lines of the ${result.stdio.sent ?? '?'} the plugin wrote on each`] : []),
        ...(diedLate ? [`the host reported its outcome, then ${describeEnd(run)}${words ? `: ${words}` : ''}`] : []),
      ],
    }
  } else if (failed?.event === 'failed' || !injected || run.timedOut) {
    // The tool could not run the probe (the plugin never worked, the host never got to the fault, or it
    // stalled after noticing it).
    return cellFailed(cell, failed?.event === 'failed' ? `${failed.code}: ${failed.message}` : `the probe's host ${describeEnd(run)} ${injected ? 'after' : 'before'} the fault: ${words ?? 'no output'}`)
  } else if (run.hung) {
    outcome = {
      hostSurvived: false,
      signal: 'SIGKILL',
      errorCode: 'HOST_HUNG',
      errorMessage: `the host froze with its plugin and noticed nothing for ${hangLimitMs(fault, settings)} ms: crash-test's watchdog killed it`,
      detectMs: roundMs(run.endedAfterInjectMs),
      recovered: false,
      orphans: run.orphans,
    }
  } else {
    outcome = {
      hostSurvived: false,
      exitCode: run.exitCode,
      signal: run.signal,
      errorCode: 'HOST_DIED',
      errorMessage: `the host ${describeEnd(run)}${words ? `: ${words}` : ''}`,
      detectMs: roundMs(run.endedAfterInjectMs),
      recovered: false,
      orphans: run.orphans,
    }
  }
  const notes = [
    ...(outcome.notes ?? []),
    ...(run.orphans > 0 ? [`${run.orphans} process(es) left behind, killed by crash-test (pids ${run.orphanPids.join(', ')})`] : []),
    ...(expected.note ? [`expected: ${expected.note}`] : []),
  ]
  return probedCell(cell, {...outcome, notes}, expectedOutcome(expected))
}

/** The part of an expectation a crash row carries: the outcome and the acceptable codes, not the source. */
function expectedOutcome(expected: Expectation): CrashExpectation {
  return {hostSurvived: expected.hostSurvived, recovered: expected.recovered, errorCodes: [...expected.errorCodes]}
}

/**
 * Whether the process the plugin runs in gets the fault's Node flags (the segfault's deep V8 stack limit): a plugin
 * process of its own, or a host the fault ends anyway. Not a host that contains its plugin in a sandbox of its
 * own thread (a vm context, QuickJS): there the question is what the sandbox lets a plugin do, and a host started
 * with a stack limit beyond its stack is not the plugin's doing.
 */
function rigsNode(mechanism: ProbedRow, fault: string): boolean {
  return mechanism.runs.where === 'other-process' || mechanism.faults[fault]?.hostSurvived === false
}

/** How long a host may take to notice the fault before it counts as frozen: its own timeout plus a grace. */
export function hangLimitMs(fault: string, settings: CrashSettings): number {
  return (strikesAtStart(fault) ? settings.startTimeoutMs : settings.callTimeoutMs + settings.settleMs) + settings.hangGraceMs
}

const roundMs = (ms: number | undefined) => (ms === undefined ? undefined : round(ms, 3))

export async function probeCell(mechanism: ProbedRow, fault: string, settings: CrashSettings): Promise<CrashRow> {
  const skipped = (reason: string) => cellSkipped(cellOf(mechanism, fault), reason)
  if (mechanism.faults[fault] === undefined) return skipped(`${mechanism.id} does not take the ${fault} fault`)
  // A fault module may not work everywhere (no signals on Windows); a plugin armed by name is its own judge,
  // but the Go fixtures' oom runs only where it can cap its own memory.
  const byModule = !hasOwnCrashHost(mechanism) && isLoadable(mechanism) && armedByModule(mechanism.takesPluginPath, fault)
  const unavailable = byModule ? faultUnavailable(fault) : mechanism.runs.plugin === 'go' ? goFaultUnavailable(fault) : undefined
  if (unavailable !== undefined) return skipped(unavailable)
  const support = await mechanism.detect()
  if (!support.supported) return skipped(support.reason)
  const job: CrashJob = {mode: 'probe', mechanism: mechanism.id, fault, settings}
  const nodeArgs = rigsNode(mechanism, fault) ? faultNodeArgs(fault) : []
  const options = {startTimeoutMs: settings.startTimeoutMs, callTimeoutMs: settings.callTimeoutMs, heapLimitMb: settings.heapLimitMb, nodeArgs}
  const command = hasOwnCrashHost(mechanism) ? await mechanism.crashHost(fault, options) : nodeHost(job, nodeArgs)
  const run = await runHost(command, {deadlineMs: probeDeadlineMs(settings), hangMs: hangLimitMs(fault, settings), orphanGraceMs: settings.orphanGraceMs})
  return crashRowOf(mechanism, fault, run, settings)
}

// Hot reload and orphans run in crash-test's Node host: the row's plugin must load in this process.
const NOT_LOADABLE = 'its plugin runs only in a host of its own: the careful host cannot load it'

export async function probeHotReload(mechanism: ProbedRow, settings: CrashSettings): Promise<HotReloadRow> {
  const ref = refOf(mechanism)
  if (!mechanism.reload.possible) return skipped(ref, mechanism.reload.why)
  // go-plugin's own host reloads with go-plugin's public API, and its plugin's answers say which build served them.
  if (mechanism.id === GO_PLUGIN_ROW) return probeGoPluginReload(mechanism, settings)
  if (!isLoadable(mechanism)) return skipped(ref, NOT_LOADABLE)
  const support = await mechanism.detect()
  if (!support.supported) return skipped(ref, support.reason)
  const deadlineMs = probeDeadlineMs(settings) + settings.reloadBeforeMs + settings.reloadAfterMs
  const run = await runHost(nodeHost({mode: 'reload', mechanism: mechanism.id, settings}), {deadlineMs, orphanGraceMs: settings.orphanGraceMs})
  const result = run.events.find((e) => e.event === 'reload-result')
  if (result?.event !== 'reload-result') {
    const failedEvent = run.events.find((e) => e.event === 'failed')
    return failed(ref, failedEvent?.event === 'failed' ? `${failedEvent.code}: ${failedEvent.message}` : `the host ${describeEnd(run)}: ${lastWords(run.stderr) ?? 'no output'}`)
  }
  const {event: _event, ...figures} = result
  const notes = [
    "the new version answers as the old one: old and new calls are told apart by the host's count of plugin generations",
    ...(figures.notes ?? []),
    ...(mechanism.reload.note ? [mechanism.reload.note] : []),
    ...(run.orphans > 0 ? [`${run.orphans} process(es) left behind, killed by crash-test`] : []),
  ]
  return reloadMeasured(ref, {...figures, countedBy: 'generation', notes})
}

export async function probeOrphans(mechanism: ProbedRow, settings: CrashSettings): Promise<OrphanRow> {
  const ref = refOf(mechanism)
  const {host, where} = mechanism.runs
  // The Node host loads a Go-hosted row by starting its Go host: nothing but that host could outlive it.
  if (host === 'go' && where !== 'other-process') return skipped(ref, 'the plugin runs inside the Go host: there is no plugin process to outlive it')
  if (!isLoadable(mechanism)) return skipped(ref, NOT_LOADABLE)
  if (!canCountOrphans) return skipped(ref, `leftover processes cannot be counted on ${process.platform}`)
  const support = await mechanism.detect()
  if (!support.supported) return skipped(ref, support.reason)
  // Where the loaded plugin's process is itself a go-plugin host (a Go host serving this row), that host is
  // what gets killed: whether its own plugin outlives it is go-plugin's orphan problem (go-plugin#10).
  const killGoHost = host === 'go' && where === 'other-process'
  const run = await runHost(nodeHost({mode: 'orphans', mechanism: mechanism.id, settings}), {
    deadlineMs: probeDeadlineMs(settings),
    killAfterRunningMs: 100,
    killRunningToo: killGoHost,
    orphanGraceMs: settings.orphanGraceMs,
  })
  const running = run.events.find((e) => e.event === 'running')
  if (running?.event !== 'running' || !run.killed) {
    const failedEvent = run.events.find((e) => e.event === 'failed')
    return failed(ref, failedEvent?.event === 'failed' ? `${failedEvent.code}: ${failedEvent.message}` : `the host ${describeEnd(run)} before it could be killed: ${lastWords(run.stderr) ?? 'no output'}`)
  }
  const killedToo = killGoHost ? [`the Go host (pid ${running.pids.join(', ')}) was killed with SIGKILL too; processes counted are those it started`] : []
  const counted = {pluginProcesses: running.pids.length, orphans: run.orphans}
  if (running.pids.length === 0) return orphansCounted(ref, {...counted, notes: ['the plugin runs inside the host: nothing can outlive it']})
  if (run.orphans === 0) return orphansCounted(ref, {...counted, goneWithinMs: run.goneWithinMs, notes: killedToo})
  return orphansCounted(ref, {...counted, notes: [...killedToo, `still alive ${settings.orphanGraceMs} ms after the host was killed: pids ${run.orphanPids.join(', ')} (killed by crash-test)`]})
}

export interface CrashPlan {
  mechanisms: readonly Row[]
  /** Faults to inject; every fault a row takes when empty. */
  faults: readonly string[]
  settings: CrashSettings
  hotReload: boolean
  orphans: boolean
  /** go-plugin's app-version negotiation, logging and terminals, with the rows that have them. */
  features: boolean
}

export interface CrashResults {
  crash: CrashRow[]
  hotReload?: HotReloadRow[]
  orphans?: OrphanRow[]
  versions?: VersionRow[]
  logging?: LoggingRow[]
  terminals?: TerminalRow[]
}

export interface CrashHooks {
  onProgress?(message: string): void
  /** After every probe, with everything measured so far: save it now. */
  onResult?(results: CrashResults): void
}

export async function runCrashTest(plan: CrashPlan, hooks: CrashHooks = {}): Promise<CrashResults> {
  const mechanisms = plan.mechanisms.filter(isCrashProbeable)
  const versionRows = plan.features ? mechanisms.filter(hasVersionProbe) : []
  const goPluginFeatures = plan.features && mechanisms.some((m) => m.id === GO_PLUGIN_ROW)
  const results: CrashResults = {
    crash: [],
    ...(plan.hotReload ? {hotReload: []} : {}),
    ...(plan.orphans ? {orphans: []} : {}),
    ...(versionRows.length > 0 ? {versions: []} : {}),
    ...(goPluginFeatures ? {logging: [], terminals: []} : {}),
  }
  // Cells in report order (the row's own fault order), whatever order the faults were asked in.
  const cells = mechanisms.flatMap((m) => faultsOf(m).filter((f) => plan.faults.length === 0 || plan.faults.includes(f)).map((fault) => [m, fault] as const))
  const total = cells.length + (plan.hotReload ? mechanisms.length : 0) + (plan.orphans ? mechanisms.length : 0) + versionRows.length + (goPluginFeatures ? 2 : 0)
  let done = 0
  const step = (what: string) => hooks.onProgress?.(`[${++done}/${total}] ${what}`)
  // A probe that throws is a failed row: one broken mechanism never stops the run or loses the rows before it.
  for (const [mechanism, fault] of cells) {
    step(`${mechanism.id} × ${fault}`)
    results.crash.push(await probeCell(mechanism, fault, plan.settings).catch((error) => cellFailed(cellOf(mechanism, fault), errorLine(error))))
    hooks.onResult?.(results)
  }
  const failedRow = (mechanism: Row) => (error: unknown) => failed(refOf(mechanism), errorLine(error))
  for (const mechanism of plan.hotReload ? mechanisms : []) {
    step(`${mechanism.id}: hot reload`)
    results.hotReload!.push(await probeHotReload(mechanism, plan.settings).catch(failedRow(mechanism)))
    hooks.onResult?.(results)
  }
  for (const mechanism of plan.orphans ? mechanisms : []) {
    step(`${mechanism.id}: orphans after SIGKILL`)
    if (hasGoPluginOrphanProbe(mechanism)) results.orphans!.push(...(await probeGoPluginOrphans(mechanism, plan.settings)))
    else results.orphans!.push(await probeOrphans(mechanism, plan.settings).catch(failedRow(mechanism)))
    hooks.onResult?.(results)
  }
  for (const mechanism of versionRows) {
    step(`${mechanism.id}: app-version negotiation`)
    results.versions!.push(await probeVersions(mechanism))
    hooks.onResult?.(results)
  }
  if (goPluginFeatures) {
    step(`${GO_PLUGIN_ROW}: logging`)
    results.logging!.push(await probeLogging())
    hooks.onResult?.(results)
    step(`${GO_PLUGIN_ROW}: terminals`)
    results.terminals!.push(await probeTerminals())
    hooks.onResult?.(results)
  }
  return results
}
