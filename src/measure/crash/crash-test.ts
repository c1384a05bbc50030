// Orchestrates crash-test: every (mechanism, fault) cell, then hot reload and orphans, each probe in a
// throwaway host, one at a time. Each probe becomes a row of data; a host dying is a finding, not an error.
import {faultsOf, hasOwnCrashHost, isCrashProbeable, isLoadable, type CrashProbeable, type Loadable, type OwnCrashHost, type Row} from '../../mechanisms/row.js'
import {distPath} from '../../paths.js'
import {round} from '../../core/numbers.js'
import {cellOf, failed as failedResult, failedCell, failureReason, orphansCounted, probedCell, refOf, reloadMeasured, skipped, type CellOutcome} from '../../results/rows.js'
import type {CrashRow, HotReloadRow, OrphanRow} from '../../results/types.js'
import {armedByModule, faultUnavailable, strikesAtStart} from '../../sample/faults.js'
import {describeExit} from '../../transport/process-end.js'
import type {HostCommand} from '../../transport/types.js'
import type {ProbeResult} from './events.js'
import {runHost, type HostRun} from './host-run.js'
import {canCountOrphans} from './orphans.js'
import {probeDeadlineMs, type CrashJob, type CrashSettings} from './settings.js'

/** A row crash-test probes: it declares its faults, and this process or a host of its own can load its plugin. */
export type ProbedRow = Row & CrashProbeable & (Loadable | OwnCrashHost)

function nodeHost(job: CrashJob): HostCommand {
  const {settings} = job
  return {
    file: process.execPath,
    // The heap cap makes an in-process `oom` end in a second; --expose-gc lets hot reload measure module retention.
    args: [`--max-old-space-size=${settings.heapLimitMb}`, '--expose-gc', distPath('src', 'hosts', 'crash-host.js'), JSON.stringify(job)],
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
  if (run.timedOut) return "overran crash-test's deadline and was killed"
  return describeExit(run)
}

/** What the orphans of a probe's host were, as notes of its cell. */
function orphanNotes(run: HostRun): string[] {
  return run.orphans > 0 ? [`${run.orphans} process(es) left behind, killed by crash-test (pids ${run.orphanPids.join(', ')})`] : []
}

// What the host itself saw and said: its outcome event, and how it ended (a late death means it did not survive).
function reportedOutcome(result: ProbeResult, run: HostRun): CellOutcome {
  // A host that reported and then ended badly anyway (a panic or rejection that struck late) did not survive.
  const diedLate = !run.timedOut && (run.signal !== undefined || (run.exitCode ?? 0) !== 0)
  return {
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
      ...(result.stdio ? [`the host received ${result.stdio.stdoutLines} stdout and ${result.stdio.stderrLines} stderr lines of the plugin's`] : []),
      ...(diedLate ? [`the host reported its outcome, then ${describeEnd(run)}${lastWords(run.stderr) ? `: ${lastWords(run.stderr)}` : ''}`] : []),
    ],
  }
}

// A host that said nothing after the fault: frozen (crash-test's watchdog killed it) or dead.
function silentOutcome(fault: string, run: HostRun, settings: CrashSettings): CellOutcome {
  const said = lastWords(run.stderr)
  const ended = run.hung
    ? {signal: 'SIGKILL', errorCode: 'HOST_HUNG', errorMessage: `the host froze with its plugin and noticed nothing for ${hangLimitMs(fault, settings)} ms: crash-test's watchdog killed it`}
    : {exitCode: run.exitCode, signal: run.signal, errorCode: 'HOST_DIED', errorMessage: `the host ${describeEnd(run)}${said ? `: ${said}` : ''}`}
  return {hostSurvived: false, ...ended, detectMs: run.endedAfterInjectMs === undefined ? undefined : round(run.endedAfterInjectMs, 3), recovered: false, orphans: run.orphans}
}

/** Turns what one probe's host did into a crash row compared with its expectation. */
export function crashRowOf(mechanism: ProbedRow, fault: string, run: HostRun, settings: CrashSettings): CrashRow {
  const expectation = mechanism.faults[fault]!
  const cell = cellOf(mechanism, fault)
  const result = run.events.find((e) => e.event === 'result')
  const failedEvent = run.events.find((e) => e.event === 'failed')
  const injected = run.events.some((e) => e.event === 'injecting')
  if (result?.event !== 'result' && (failedEvent?.event === 'failed' || !injected || run.timedOut)) {
    // The tool could not run the probe (the plugin never worked, the host never got to the fault, or it
    // stalled after noticing it).
    const reason = failedEvent?.event === 'failed' ? `${failedEvent.code}: ${failedEvent.message}` : `the probe's host ${describeEnd(run)} ${injected ? 'after' : 'before'} the fault: ${lastWords(run.stderr) ?? 'no output'}`
    return failedCell(cell, reason, orphanNotes(run))
  }
  const outcome = result?.event === 'result' ? reportedOutcome(result, run) : silentOutcome(fault, run, settings)
  const notes = [...(outcome.notes ?? []), ...orphanNotes(run), ...(expectation.note ? [`expected: ${expectation.note}`] : [])]
  const {hostSurvived, recovered, errorCodes} = expectation
  return probedCell(cell, {...outcome, notes}, {hostSurvived, recovered, errorCodes: [...errorCodes]})
}

/** How long a host may take to notice the fault before it counts as frozen: its own timeout plus a grace. */
export function hangLimitMs(fault: string, settings: CrashSettings): number {
  return (strikesAtStart(fault) ? settings.startTimeoutMs : settings.callTimeoutMs + settings.settleMs) + settings.hangGraceMs
}

export async function probeCell(mechanism: ProbedRow, fault: string, settings: CrashSettings): Promise<CrashRow> {
  const skip = (reason: string) => skipped(cellOf(mechanism, fault), reason)
  if (mechanism.faults[fault] === undefined) return skip(`${mechanism.id} does not take the ${fault} fault`)
  // A fault module may not work everywhere (no signals on Windows); a plugin armed by name is its own judge.
  const byModule = !hasOwnCrashHost(mechanism) && isLoadable(mechanism) && armedByModule(mechanism.takesPluginPath, fault)
  const unavailable = byModule ? faultUnavailable(fault) : undefined
  if (unavailable !== undefined) return skip(unavailable)
  const support = await mechanism.detect()
  if (!support.supported) return skip(support.reason)
  const job: CrashJob = {mode: 'probe', mechanism: mechanism.id, fault, settings}
  const command = hasOwnCrashHost(mechanism) ? await mechanism.crashHost(fault, {startTimeoutMs: settings.startTimeoutMs, callTimeoutMs: settings.callTimeoutMs, heapLimitMb: settings.heapLimitMb}) : nodeHost(job)
  const run = await runHost(command, {deadlineMs: probeDeadlineMs(settings), hangMs: hangLimitMs(fault, settings), orphanGraceMs: settings.orphanGraceMs})
  return crashRowOf(mechanism, fault, run, settings)
}

// Hot reload and orphans run in crash-test's Node host: the row's plugin must load in this process.
const NOT_LOADABLE = 'its plugin runs only in a host of its own: the careful host cannot load it'

export async function probeHotReload(mechanism: ProbedRow, settings: CrashSettings): Promise<HotReloadRow> {
  const ref = refOf(mechanism)
  if (!mechanism.reload.possible) return skipped(ref, mechanism.reload.why)
  if (!isLoadable(mechanism)) return skipped(ref, NOT_LOADABLE)
  const support = await mechanism.detect()
  if (!support.supported) return skipped(ref, support.reason)
  const deadlineMs = probeDeadlineMs(settings) + settings.reloadBeforeMs + settings.reloadAfterMs
  const run = await runHost(nodeHost({mode: 'reload', mechanism: mechanism.id, settings}), {deadlineMs, orphanGraceMs: settings.orphanGraceMs})
  const result = run.events.find((e) => e.event === 'reload-result')
  if (result?.event !== 'reload-result') {
    const failed = run.events.find((e) => e.event === 'failed')
    const reason = failed?.event === 'failed' ? `${failed.code}: ${failed.message}` : `the host ${describeEnd(run)}: ${lastWords(run.stderr) ?? 'no output'}`
    return failedResult(ref, reason)
  }
  const {event: _event, ...figures} = result
  const notes = [
    ...(figures.notes ?? []),
    ...(mechanism.reload.note ? [mechanism.reload.note] : []),
    ...(run.orphans > 0 ? [`${run.orphans} process(es) left behind, killed by crash-test`] : []),
  ]
  return reloadMeasured(ref, {...figures, notes})
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
    const failed = run.events.find((e) => e.event === 'failed')
    const reason = failed?.event === 'failed' ? `${failed.code}: ${failed.message}` : `the host ${describeEnd(run)} before it could be killed: ${lastWords(run.stderr) ?? 'no output'}`
    return failedResult(ref, reason)
  }
  const counted = {pluginProcesses: running.pids.length, orphans: run.orphans}
  if (running.pids.length === 0) return orphansCounted(ref, {...counted, notes: ['the plugin runs inside the host: nothing can outlive it']})
  const killedToo = killGoHost ? [`the Go host (pid ${running.pids.join(', ')}) was killed with SIGKILL too; processes counted are those it started`] : []
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
}

export interface CrashResults {
  crash: CrashRow[]
  hotReload?: HotReloadRow[]
  orphans?: OrphanRow[]
}

export interface CrashHooks {
  onProgress?(message: string): void
  /** After every probe, with everything measured so far: save it now. */
  onResult?(results: CrashResults): void
}

export async function runCrashTest(plan: CrashPlan, hooks: CrashHooks = {}): Promise<CrashResults> {
  const results: CrashResults = {crash: [], ...(plan.hotReload ? {hotReload: []} : {}), ...(plan.orphans ? {orphans: []} : {})}
  const mechanisms = plan.mechanisms.filter(isCrashProbeable)
  // Cells in report order (the row's own fault order), whatever order the faults were asked in.
  const cells = mechanisms.flatMap((m) => faultsOf(m).filter((f) => plan.faults.length === 0 || plan.faults.includes(f)).map((fault) => [m, fault] as const))
  const total = cells.length + (plan.hotReload ? mechanisms.length : 0) + (plan.orphans ? mechanisms.length : 0)
  let done = 0
  const step = (what: string) => hooks.onProgress?.(`[${++done}/${total}] ${what}`)
  // A probe that throws is a failed row: one broken mechanism never stops the run or loses the rows before it.
  for (const [mechanism, fault] of cells) {
    step(`${mechanism.id} × ${fault}`)
    results.crash.push(await probeCell(mechanism, fault, plan.settings).catch((error) => failedCell(cellOf(mechanism, fault), failureReason(error))))
    hooks.onResult?.(results)
  }
  const failedRow = (mechanism: Row) => (error: unknown) => failedResult(refOf(mechanism), failureReason(error))
  for (const mechanism of plan.hotReload ? mechanisms : []) {
    step(`${mechanism.id}: hot reload`)
    results.hotReload!.push(await probeHotReload(mechanism, plan.settings).catch(failedRow(mechanism)))
    hooks.onResult?.(results)
  }
  for (const mechanism of plan.orphans ? mechanisms : []) {
    step(`${mechanism.id}: orphans after SIGKILL`)
    results.orphans!.push(await probeOrphans(mechanism, plan.settings).catch(failedRow(mechanism)))
    hooks.onResult?.(results)
  }
  return results
}
