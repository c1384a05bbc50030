// A throwaway host process for crash-test: loads one mechanism with one misbehaving plugin behind the careful
// host (Supervisor), calls it, sets the fault off, watches what happens, restarts, calls again, and prints
// what it saw as events on stdout. Faults that kill a host kill this process, never the CLI.
import {writeSync} from 'node:fs'
import {performance} from 'node:perf_hooks'
import {setImmediate as yieldToLoop, setTimeout as sleep} from 'node:timers/promises'
import {findRow} from '../mechanisms/index.js'
import {loadPluginModule} from '../transport/load-module.js'
import {asPluginError, Supervisor, type SupervisorEvent} from '../measure/crash/supervisor.js'
import {isBuildable, isCrashProbeable, isLoadable, type CrashProbeable, type Loadable, type Row} from '../mechanisms/row.js'
import {formatEvent, type CrashEvent, type HotReloadResult, type ProbeResult} from '../measure/crash/events.js'
import {armedByModule, FAULT_TRIGGER, FAULT_VARIABLE, faultNodeArgs, faultPluginPath, reloadPluginPath, STDIO_FAULT, strikesAtStart} from '../sample/faults.js'
import {countStdioLines} from '../measure/crash/stdio-count.js'
import type {CrashJob, CrashSettings} from '../measure/crash/settings.js'
import {samplePluginPath} from '../paths.js'
import {round} from '../core/numbers.js'
import {checkAnswer, PluginError, type PluginInput} from '../sample/contract.js'
import type {LoadOptions} from '../transport/types.js'

/** A row this host can probe: crash-test's facts, and a plugin this process loads. */
type HostedRow = Row & Loadable & CrashProbeable

const SAMPLE_INPUT: PluginInput = {number: 7}
const MODULE_RELOADS = 20

// Synchronous, so an event is out before a fault can end the process.
function emit(event: CrashEvent): void {
  writeSync(1, formatEvent(event))
}

function supervise(
  mechanism: HostedRow,
  pluginPath: string,
  settings: CrashSettings,
  onEvent?: (event: SupervisorEvent) => void,
  extra: Pick<LoadOptions, 'onStdio' | 'nodeArgs'> = {},
): Supervisor {
  return new Supervisor(mechanism, {
    pluginPath,
    startTimeoutMs: settings.startTimeoutMs,
    callTimeoutMs: settings.callTimeoutMs,
    heapLimitMb: settings.heapLimitMb,
    onEvent,
    ...extra,
  })
}

async function checkedCall(supervisor: Supervisor, input: PluginInput): Promise<void> {
  checkAnswer(input, await supervisor.call(input))
}

// The row's one-off build (a bundle, a compile) before the careful host starts it.
async function built(mechanism: HostedRow, pluginPath: string): Promise<void> {
  if (isBuildable(mechanism)) await mechanism.build({pluginPath})
}

async function probe(mechanism: HostedRow, fault: string, settings: CrashSettings): Promise<ProbeResult> {
  // A row that cannot load our fault modules (or a fault that has none, a broken handshake) gets the fault by
  // name in its plugin's environment instead; such a plugin misbehaves from its first call, and a restart
  // after the fault starts it disarmed.
  const armedByEnv = !armedByModule(mechanism.takesPluginPath, fault)
  if (armedByEnv) process.env[FAULT_VARIABLE] = fault
  const pluginPath = armedByEnv ? samplePluginPath : faultPluginPath(fault)
  await built(mechanism, pluginPath)
  let death: {at: number; code: string; message: string} | undefined
  let onDeath: () => void = () => {}
  // Only the stdio-lines cell counts what the plugin wrote: every other probe runs without a handler.
  const stdio = fault === STDIO_FAULT.id ? countStdioLines() : undefined
  const supervisor = supervise(
    mechanism,
    pluginPath,
    settings,
    (event) => {
      if ((event.type === 'died' || event.type === 'killed') && death === undefined) {
        death = {at: performance.now(), code: event.code, message: event.type === 'died' ? event.message : `killed after ${event.code}`}
        onDeath()
      }
    },
    {...(stdio ? {onStdio: stdio.onStdio} : {}), nodeArgs: faultNodeArgs(fault)},
  )
  const notes: string[] = []
  let seen: {code?: string; message?: string; detectMs?: number} = {}
  // With stdio-lines, every call the armed plugin answers writes one marked line on each channel.
  let calls = 0
  const call = (input: PluginInput) => {
    calls++
    return checkedCall(supervisor, input)
  }
  try {
    if (strikesAtStart(fault)) {
      emit({event: 'injecting'})
      const injectedAt = performance.now()
      try {
        await supervisor.start()
        notes.push('the plugin started within the start timeout')
      } catch (error) {
        const failure = asPluginError(error)
        seen = {code: failure.code, message: failure.message, detectMs: performance.now() - injectedAt}
      }
    } else {
      await supervisor.start()
      if (!armedByEnv) await call(SAMPLE_INPUT)
      emit({event: 'ready', pid: supervisor.pid})
      emit({event: 'injecting'})
      const injectedAt = performance.now()
      try {
        await call({number: FAULT_TRIGGER})
        // The call answered; a plugin can still die just after it (an unhandled rejection), so watch a moment.
        if (death === undefined) await Promise.race([sleep(settings.settleMs), new Promise<void>((resolve) => (onDeath = resolve))])
        if (death !== undefined) seen = {code: death.code, message: death.message, detectMs: death.at - injectedAt}
      } catch (error) {
        const failure = asPluginError(error)
        seen = {code: failure.code, message: failure.message, detectMs: performance.now() - injectedAt}
      }
    }
    emit({event: 'detected'})
    delete process.env[FAULT_VARIABLE]
    const restartsBefore = supervisor.restarts
    let recovered = false
    let recoveryError: string | undefined
    try {
      await call(SAMPLE_INPUT)
      recovered = true
    } catch (error) {
      const failure = asPluginError(error)
      recoveryError = `${failure.code}: ${failure.message}`
    }
    if (supervisor.restarts > restartsBefore) notes.push('the host restarted the plugin for the next call')
    // GRPCStdio is a stream of its own: the calls' lines can still be on their way when the calls have answered.
    if (stdio) await sleep(settings.settleMs)
    return {
      ...(stdio ? {stdio: {...stdio.counts(), sent: calls}} : {}),
      errorCode: seen.code,
      errorMessage: seen.message,
      detectMs: seen.detectMs === undefined ? undefined : round(seen.detectMs, 3),
      recovered,
      recoveryError,
      restarts: supervisor.restarts,
      notes: notes.length > 0 ? notes : undefined,
    }
  } finally {
    await supervisor.dispose()
  }
}

async function hotReload(mechanism: HostedRow, settings: CrashSettings): Promise<HotReloadResult> {
  await built(mechanism, samplePluginPath)
  const supervisor = supervise(mechanism, samplePluginPath, settings)
  await supervisor.start()
  const oldGeneration = supervisor.generation
  const oldPid = supervisor.pid
  let streaming = true
  let calls = 0
  let failedCalls = 0
  const errorCodes = new Set<string>()
  const stream = async (offset: number) => {
    for (let n = offset; streaming; n += settings.reloadStreams) {
      const input = {number: n % 10_000}
      try {
        await checkedCall(supervisor, input)
        calls++
      } catch (error) {
        failedCalls++
        errorCodes.add(asPluginError(error).code)
      }
      // In-process calls resolve without ever yielding: let timers (and the reload) run between calls.
      await yieldToLoop()
    }
  }
  const streams = Array.from({length: settings.reloadStreams}, (_, i) => stream(i))
  await sleep(settings.reloadBeforeMs)
  const {ms, generation} = await supervisor.reload({pluginPath: reloadPluginPath})
  const newPid = supervisor.pid
  await sleep(settings.reloadAfterMs)
  streaming = false
  await Promise.all(streams)
  const answered = supervisor.answeredBy()
  await supervisor.dispose()
  const result: HotReloadResult = {
    reloadMs: round(ms, 3),
    calls,
    failedCalls,
    errorCodes: [...errorCodes],
    answeredByOld: answered.get(oldGeneration) ?? 0,
    answeredByNew: answered.get(generation) ?? 0,
    oldPid,
    newPid,
  }
  if (oldPid !== undefined) result.oldProcessExited = !isAlive(oldPid)
  if (!mechanism.takesPluginPath) result.notes = ['this row takes no plugin path: the same plugin was started anew and swapped in']
  if (mechanism.reload.possible && mechanism.reload.leavesOldModule) Object.assign(result, await moduleRetention())
  return result
}

// ES modules cannot be unloaded: a re-import under a new URL is a second copy, and the first stays reachable
// from the module map. Shown with a weak reference that survives collection, and the heap each re-import adds.
async function moduleRetention(): Promise<Pick<HotReloadResult, 'oldModuleRetained' | 'heapGrowthPerReloadBytes' | 'notes'>> {
  const gc = (globalThis as {gc?: () => void}).gc
  if (gc === undefined) return {notes: ['run the crash host with --expose-gc to measure module retention']}
  const collect = async () => {
    for (let i = 0; i < 3; i++) {
      gc()
      await yieldToLoop()
    }
  }
  const first = new WeakRef(await loadPluginModule(reloadPluginPath, true))
  await collect()
  const heapBefore = process.memoryUsage().heapUsed
  for (let i = 0; i < MODULE_RELOADS; i++) await loadPluginModule(reloadPluginPath, true)
  await collect()
  const growth = process.memoryUsage().heapUsed - heapBefore
  return {
    oldModuleRetained: first.deref() !== undefined,
    heapGrowthPerReloadBytes: Math.max(0, Math.round(growth / MODULE_RELOADS)),
  }
}

// Loads the plugin and keeps calling it until crash-test kills this host with SIGKILL.
async function keepRunning(mechanism: HostedRow, settings: CrashSettings): Promise<never> {
  await built(mechanism, samplePluginPath)
  const supervisor = supervise(mechanism, samplePluginPath, settings)
  await supervisor.start()
  await checkedCall(supervisor, SAMPLE_INPUT)
  emit({event: 'running', pids: supervisor.pid === undefined ? [] : [supervisor.pid]})
  for (;;) {
    await checkedCall(supervisor, SAMPLE_INPUT)
    await sleep(5)
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const job = JSON.parse(process.argv[2] ?? '{}') as CrashJob
const row = findRow(job.mechanism)
const mechanism = row && isCrashProbeable(row) && isLoadable(row) ? row : undefined
try {
  if (mechanism === undefined) throw new PluginError('UNKNOWN_MECHANISM', `no mechanism named ${job.mechanism} that this host can load and probe`)
  if (job.mode === 'probe') emit({event: 'result', ...(await probe(mechanism, job.fault, job.settings))})
  else if (job.mode === 'reload') emit({event: 'reload-result', ...(await hotReload(mechanism, job.settings))})
  else await keepRunning(mechanism, job.settings)
} catch (error) {
  const failure = asPluginError(error)
  emit({event: 'failed', code: failure.code, message: failure.message})
}
// Leftover handles (a leaked promise's timer, a stuck module) must not keep a finished probe alive.
process.exit(0)
