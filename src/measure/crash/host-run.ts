// Runs one throwaway host under a deadline and a hang watchdog, collects its events, and afterwards finds and
// kills every process it left behind. Whatever the host does (dies, freezes, floods stdout), this returns.
import {mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import {execa} from 'execa'
import {StderrBuffer} from '../../transport/stderr-buffer.js'
import type {HostCommand} from '../../transport/types.js'
import {EventReader, type CrashEvent} from './events.js'
import {MARKER_VARIABLE, newMarker, reapMarked} from './orphans.js'

export interface HostLimits {
  /** The host is killed after this long, whatever it is doing. */
  deadlineMs: number
  /** A host that has not reported `detected` this long after `injecting` is declared hung and killed. */
  hangMs?: number
  /** Kill the host with SIGKILL this long after the `running` event (the orphan probe). */
  killAfterRunningMs?: number
  /** Kill the processes the `running` event names at the same moment as the host. */
  killRunningToo?: boolean
  /** How long processes the host started get to exit after it ended, before they count as orphans. */
  orphanGraceMs: number
}

export interface HostRun {
  events: CrashEvent[]
  /** Why the host could not be started at all (a missing binary, say); it then has no exit code. */
  spawnError?: string
  exitCode?: number
  signal?: string
  /** Killed by the watchdog: silent too long after the fault. */
  hung: boolean
  /** Killed at the overall deadline. */
  timedOut: boolean
  /** Killed on purpose (the orphan probe). */
  killed: boolean
  /** ms from the `injecting` event to the host's end, when it had one. */
  endedAfterInjectMs?: number
  /** The start and the end of the host's stderr: a Go crash's `fatal error` line comes before a long stack dump. */
  stderr: string
  orphans: number
  orphanPids: number[]
  /** How long the last process the host started took to leave after the host ended. */
  goneWithinMs?: number
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // Already gone.
  }
}

export async function runHost(command: HostCommand, limits: HostLimits, onEvent?: (event: CrashEvent) => void): Promise<HostRun> {
  const marker = newMarker()
  // A scratch folder as the working directory and for fault state: core dumps and leftovers go with it.
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'plugin-survey-crash-'))
  const events: CrashEvent[] = []
  let hung = false
  let timedOut = false
  let killed = false
  let injectedAt: number | undefined
  const stderr = new StderrBuffer()
  // The host's and its plugins' temp files (unix sockets above all) go in the scratch folder too, so a host
  // killed by a fault leaves none behind; only where its path is short enough for a socket path (104 bytes).
  const temp = process.platform !== 'win32' && scratch.length <= 48 ? {TMPDIR: scratch} : {}
  const host = execa(command.file, command.args, {
    env: {...command.env, ...temp, [MARKER_VARIABLE]: marker, PLUGIN_SURVEY_FAULT_STATE: path.join(scratch, 'fault-state')},
    cwd: scratch,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
  })
  const timers: NodeJS.Timeout[] = []
  let watchdog: NodeJS.Timeout | undefined
  const kill = () => host.kill('SIGKILL')
  timers.push(
    setTimeout(() => {
      timedOut = true
      kill()
    }, limits.deadlineMs),
  )
  const reader = new EventReader((event) => {
    events.push(event)
    onEvent?.(event)
    if (event.event === 'injecting') {
      injectedAt = performance.now()
      if (limits.hangMs !== undefined) {
        watchdog = setTimeout(() => {
          hung = true
          kill()
        }, limits.hangMs)
      }
    }
    if (event.event === 'detected') clearTimeout(watchdog)
    if (event.event === 'running' && limits.killAfterRunningMs !== undefined) {
      const alsoKill = limits.killRunningToo ? event.pids : []
      timers.push(
        setTimeout(() => {
          killed = true
          kill()
          for (const pid of alsoKill) killQuietly(pid)
        }, limits.killAfterRunningMs),
      )
    }
  })
  host.stdout!.setEncoding('utf8')
  host.stdout!.on('data', (chunk: string) => reader.push(chunk))
  host.stderr!.setEncoding('utf8')
  host.stderr!.on('data', (chunk: string) => stderr.push(chunk))
  const exit = await new Promise<{exitCode?: number; signal?: string; spawnError?: string}>((resolve) => {
    host.nodeChildProcess.on('exit', (code, signal) => resolve({exitCode: code ?? undefined, signal: signal ?? undefined}))
    // A host that never started emits no 'exit' at all.
    host.nodeChildProcess.on('error', (error) => {
      if (host.pid === undefined) resolve({spawnError: error.message})
    })
  })
  const endedAt = performance.now()
  // Its output is complete once the pipes close; a leftover process holding them must not stall the run.
  await Promise.race([host.catch(() => {}), new Promise((resolve) => timers.push(setTimeout(resolve, 1000)))])
  for (const timer of [...timers, watchdog]) clearTimeout(timer)
  // A result that arrived before the watchdog fired wins: the host was not hung.
  if (events.some((e) => e.event === 'result' || e.event === 'reload-result' || e.event === 'failed')) hung = false
  const reaped = await reapMarked(marker, limits.orphanGraceMs)
  try {
    rmSync(scratch, {recursive: true, force: true, maxRetries: 5, retryDelay: 100})
  } catch {
    // Windows will not remove a folder a process still runs in (there, leftovers cannot be found and killed):
    // the probe's outcome matters more than one temporary folder.
  }
  return {
    events,
    ...exit,
    hung,
    timedOut: timedOut && !hung,
    killed,
    endedAfterInjectMs: injectedAt === undefined ? undefined : endedAt - injectedAt,
    stderr: stderr.text(),
    orphans: reaped.orphans,
    orphanPids: reaped.pids,
    goneWithinMs: reaped.goneWithinMs,
  }
}
