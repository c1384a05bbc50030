// A plugin process in a process group of its own (unix), so that stopping it also stops whatever it started:
// go-plugin kills only the pid, and a plugin's own children survive it. Windows has no process groups to
// signal: a kill there ends the process tree with `taskkill /T /F /PID`, as the tree-kill package does.
import {execFile, spawn} from 'node:child_process'
import {readdirSync, readFileSync} from 'node:fs'
import {promisify} from 'node:util'
import {StderrBuffer} from '../transport/stderr-buffer.js'
import type {ChildExit} from '../transport/child-process.js'

const STDERR_SETTLE_MS = 100
const groups = process.platform !== 'win32'

export interface GroupExit extends ChildExit {
  spawnError?: string
}

export interface GroupProcess {
  readonly pid: number
  readonly exited: Promise<GroupExit>
  readonly hasExited: boolean
  readonly stdout: NodeJS.ReadableStream
  readonly stderr: NodeJS.ReadableStream
  stderrTail(): string
  /** Sends a signal to the whole group (on Windows, SIGKILL ends the process tree; other signals the process alone). */
  signal(signal: NodeJS.Signals): void
  /** SIGKILL to the group, then waits for the plugin itself to be gone. Safe to call more than once. */
  kill(): Promise<GroupExit>
}

// Groups still running, killed if the host process exits (process.exit, an uncaught exception, Ctrl-C or a
// termination signal) before ending them: a plugin in a group of its own does not get the host's signals, and
// a third-party plugin may never look for its parent.
const running = new Set<() => void>()
const HOST_SIGNALS: NodeJS.Signals[] = process.platform === 'win32' ? ['SIGINT'] : ['SIGINT', 'SIGTERM', 'SIGHUP']
let exitHook = false

function killRunning(): void {
  for (const stop of running) stop()
}

// Kills the groups, then lets the signal do what it would have done: end the host, unless someone else handles it.
function onHostSignal(signal: NodeJS.Signals): void {
  killRunning()
  for (const s of HOST_SIGNALS) process.off(s, onHostSignal)
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
}

function killOnHostExit(kill: () => void): () => void {
  if (!exitHook) {
    exitHook = true
    process.once('exit', killRunning)
    for (const signal of HOST_SIGNALS) process.on(signal, onHostSignal)
  }
  running.add(kill)
  return () => running.delete(kill)
}

/** How a signal reaches a plugin and what it started: its process group (unix), its tree (Windows SIGKILL), or its pid. */
export type KillPlan = {kind: 'group'; pgid: number} | {kind: 'tree'; file: string; args: string[]} | {kind: 'pid'}

export function killPlan(platform: NodeJS.Platform, pid: number, signal: NodeJS.Signals): KillPlan {
  if (platform !== 'win32') return {kind: 'group', pgid: pid}
  // /T: the process and every child it started; /F: forcibly (Windows has no SIGKILL).
  if (signal === 'SIGKILL') return {kind: 'tree', file: 'taskkill', args: ['/T', '/F', '/PID', String(pid)]}
  return {kind: 'pid'}
}

export interface SpawnOptions {
  extendEnv?: boolean
  cwd?: string
  /** Runs once when the process has exited, or when the host exits while it still runs (after the kill). */
  onGone?(): void
}

export function spawnInGroup(file: string, args: readonly string[], env: Record<string, string>, options: SpawnOptions = {}): GroupProcess {
  // node:child_process itself: a host that starts plugins does not pay for a process library's import.
  const child = spawn(file, args, {
    env: (options.extendEnv ?? true) ? {...process.env, ...env} : env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: groups,
    windowsHide: true,
  })
  const stderr = new StderrBuffer()
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')))
  let hasExited = false
  const signal = (name: NodeJS.Signals) => {
    if (child.pid === undefined || (hasExited && !groups)) return
    const plan = killPlan(process.platform, child.pid, name)
    try {
      if (plan.kind === 'group') process.kill(-plan.pgid, name)
      else if (plan.kind === 'tree') {
        // taskkill fails once the tree is gone: the pid itself is killed too, in case taskkill cannot run.
        execFile(plan.file, plan.args, {windowsHide: true}, () => {})
        child.kill(name)
      } else child.kill(name)
    } catch {
      // The group is already gone.
    }
  }
  let gone = false
  const cleanUp = () => {
    if (gone) return
    gone = true
    options.onGone?.()
  }
  const forget = killOnHostExit(() => {
    signal('SIGKILL')
    cleanUp()
  })
  const exited = new Promise<GroupExit>((resolve) => {
    let stderrEnded = false
    child.stderr!.once('end', () => (stderrEnded = true))
    child.on('exit', (code, killedBy) => {
      hasExited = true
      // Its group id may be reused once the group is empty: only a live leader's group is killed at host exit.
      forget()
      cleanUp()
      const exit = {exitCode: code ?? undefined, signal: killedBy ?? undefined}
      // Let the last of stderr arrive (it explains the exit), unless a grandchild holds the pipe open.
      if (stderrEnded) return resolve(exit)
      const timer = setTimeout(() => resolve(exit), STDERR_SETTLE_MS)
      child.stderr!.once('end', () => {
        clearTimeout(timer)
        resolve(exit)
      })
    })
    // The command could not be started at all (not found, not executable).
    child.on('error', (error: Error) => {
      hasExited = true
      forget()
      cleanUp()
      resolve({spawnError: error.message})
    })
  })
  return {
    pid: child.pid ?? -1,
    exited,
    get hasExited() {
      return hasExited
    },
    stdout: child.stdout!,
    stderr: child.stderr!,
    stderrTail: () => stderr.end(),
    signal,
    async kill() {
      signal('SIGKILL')
      return exited
    },
  }
}

/** The live processes of a process group: what a plugin left behind once it is gone. */
export async function groupMembers(pgid: number): Promise<number[]> {
  if (!groups || pgid <= 0) return []
  if (process.platform === 'linux') {
    const members: number[] = []
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue
      try {
        // Fields after the command name (which may hold spaces): state ppid pgrp ...
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
        const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
        if (Number(after[2]) === pgid && after[0] !== 'Z') members.push(Number(entry))
      } catch {
        // The process ended while we looked.
      }
    }
    return members
  }
  const ps = await promisify(execFile)('ps', ['-A', '-o', 'pid=,pgid=,stat=']).catch(() => ({stdout: ''}))
  return String(ps.stdout)
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([, g, stat]) => Number(g) === pgid && !stat?.startsWith('Z'))
    .map(([p]) => Number(p))
}

/** The group's members once it has emptied, or those still there after `withinMs` (a killed group takes a moment). */
export async function groupLeftovers(pgid: number, withinMs = 1000): Promise<number[]> {
  const deadline = Date.now() + withinMs
  for (;;) {
    const members = await groupMembers(pgid)
    if (members.length === 0 || Date.now() >= deadline) return members
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
