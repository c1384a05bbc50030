// A Go host run in its -probe mode for crash-test: one call with PLUGIN_SURVEY_FAULT armed, then a next call
// with the fault disarmed. A host that survives prints its verdict as JSON; a host that dies prints nothing,
// and its exit code, signal and stderr are the outcome.
import {lastJsonLine} from '../transport/json-line.js'
import {hostDeadlineMs} from '../core/deadline.js'
import {performance} from 'node:perf_hooks'
import {execa} from 'execa'
import type {HostCommand, LoadOptions} from '../transport/types.js'
import type {StdioLines} from '../results/types.js'

export interface GoProbeCall {
  answer: string | null
  error: {code: string; message: string} | null
  ms: number
}

/** What a surviving host printed. */
export interface GoProbeVerdict extends GoProbeCall {
  fault: string
  next?: GoProbeCall
  /** Calls that never returned: Go cannot stop a goroutine, so they run on in the host. */
  leakedGoroutines: number
  /** The stdio-lines fault, on a go-plugin host: the plugin's marked lines that reached it (SyncStdout/SyncStderr). */
  stdio?: StdioLines
}

export type GoProbeOutcome =
  | {hostSurvived: true; verdict: GoProbeVerdict; durationMs: number; stderrHead: string}
  | {hostSurvived: false; exitCode?: number; signal?: string; timedOut: boolean; durationMs: number; stderrHead: string}

export interface GoProbeOptions {
  /** How long the host lets the faulty call run before it counts as hung (the host's -probe-timeout-ms). */
  callTimeoutMs?: number
  /** How much longer the call after the fault may take, to restart the plugin (the host's -probe-start-timeout-ms). */
  startTimeoutMs?: number
  /** Extra address space the oom fault may take, in MiB (the host's -probe-memory-limit-mb). */
  memoryLimitMb?: number
}

/** The faults the Go fixtures take by name (fixtures/go/internal/fault). */
export const GO_FAULTS = ['throw', 'reject', 'exit', 'segfault', 'nil-deref', 'hang', 'never', 'oom', 'stdout-garbage'] as const

const DEFAULT_CALL_TIMEOUT_MS = 2000

/** Where the Go oom fault can cap its process (RLIMIT_AS is enforced): elsewhere it does not run (fixtures/go/internal/fault). */
const GO_MEMORY_CAP_PLATFORMS: readonly NodeJS.Platform[] = ['linux', 'freebsd']

/** Why a fault of the Go fixtures cannot run on this platform, or undefined when it can. */
export function goFaultUnavailable(fault: string, platform: NodeJS.Platform = process.platform): string | undefined {
  if (fault === 'oom' && !GO_MEMORY_CAP_PLATFORMS.includes(platform)) {
    return `the Go oom fault caps its own process with RLIMIT_AS first, which ${platform} does not enforce: it is not run, so it cannot exhaust the machine`
  }
  return undefined
}

function probeFlags(options: GoProbeOptions): string[] {
  const flags = ['-probe', `-probe-timeout-ms=${options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS}`]
  if (options.startTimeoutMs !== undefined) flags.push(`-probe-start-timeout-ms=${options.startTimeoutMs}`)
  if (options.memoryLimitMb !== undefined) flags.push(`-probe-memory-limit-mb=${options.memoryLimitMb}`)
  return flags
}

/** The command crash-test runs as a throwaway host: the Go host's -probe, which prints crash-test's `@@crash` events. */
export function goCrashHost(binary: string, args: string[], fault: string, options: LoadOptions): HostCommand {
  return {file: binary, args: [...probeFlags({callTimeoutMs: options.callTimeoutMs, startTimeoutMs: options.startTimeoutMs, memoryLimitMb: options.heapLimitMb}), ...args], env: {PLUGIN_SURVEY_FAULT: fault}}
}

/** Runs `binary -probe ...args` with `fault` armed (none when undefined) and returns how it ended. */
export async function runGoProbe(binary: string, args: string[], fault: string | undefined, options: GoProbeOptions = {}): Promise<GoProbeOutcome> {
  const callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS
  const started = performance.now()
  const run = await execa(binary, [...probeFlags(options), ...args], {
    env: {PLUGIN_SURVEY_FAULT: fault ?? ''},
    reject: false,
    stdin: 'ignore',
    // Two calls may each time out (the second after a restart), then the host settles: anything longer is a host that hangs itself.
    timeout: hostDeadlineMs({callTimeoutMs, startTimeoutMs: options.startTimeoutMs}, {starts: 1, calls: 2}),
    killSignal: 'SIGKILL',
  })
  const durationMs = Math.round(performance.now() - started)
  // A Go crash says what happened first ("panic: ...", "fatal error: ...", "[signal SIGSEGV ...]"), then dumps goroutines.
  const stderrHead = String(run.stderr).trim().split('\n').slice(0, 12).join('\n')
  const last = lastJsonLine(run.stdout)
  if (run.exitCode === 0 && last !== undefined) return {hostSurvived: true, verdict: JSON.parse(last) as GoProbeVerdict, durationMs, stderrHead}
  return {hostSurvived: false, exitCode: run.exitCode, signal: run.signal, timedOut: run.timedOut, durationMs, stderrHead}
}
