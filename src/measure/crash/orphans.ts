// Finds the processes a probe left behind. Every throwaway host gets a unique marker in its environment,
// which every process it starts inherits (plugins, their children, even ones that moved to a new session),
// so the survivors are found by the marker, not by guessing names.
import {randomUUID} from 'node:crypto'
import {readdirSync, readFileSync} from 'node:fs'
import {setTimeout as sleep} from 'node:timers/promises'
import {execa} from 'execa'

export const MARKER_VARIABLE = 'PLUGIN_SURVEY_PROBE'

/** Whether leftover processes can be found on this platform (Linux: /proc; macOS: ps). */
export const canCountOrphans = process.platform === 'linux' || process.platform === 'darwin'

/** A fresh marker; it starts with this process's pid, so everything one run started can be found (markersOf). */
export function newMarker(): string {
  return `${process.pid}-${randomUUID()}`
}

/** The marker prefix of every probe started by the process with this pid. */
export function markersOf(pid: number): string {
  return `${pid}-`
}

/** The processes (other than this one) whose environment holds the marker, or a marker starting with `prefix`. */
export async function findMarked(marker: string, options: {prefix?: boolean} = {}): Promise<number[]> {
  const needle = `${MARKER_VARIABLE}=${marker}`
  const matches = (entry: string) => (options.prefix ? entry.startsWith(needle) : entry === needle)
  if (process.platform === 'linux') {
    const pids: number[] = []
    for (const entry of readdirSync('/proc')) {
      const pid = Number(entry)
      if (!Number.isInteger(pid) || pid === process.pid) continue
      try {
        // A zombie's environment reads empty: it is dead, only not yet reaped.
        if (readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').some(matches)) pids.push(pid)
      } catch {
        // Gone meanwhile, or another user's process.
      }
    }
    return pids
  }
  if (process.platform === 'darwin') {
    const {stdout} = await execa('ps', ['-A', '-E', '-ww', '-o', 'pid=,command='], {reject: false})
    return String(stdout)
      .split('\n')
      .filter((line) => line.split(' ').some(matches))
      .map((line) => Number.parseInt(line.trim(), 10))
      .filter((pid) => Number.isInteger(pid) && pid !== process.pid)
  }
  return []
}

/**
 * Waits up to `graceMs` for marked processes to exit by themselves, then kills whatever is left, so a run
 * never leaves anything behind. Returns how many had to be killed (the orphans) and when the last one left.
 */
export async function reapMarked(marker: string, graceMs: number): Promise<{orphans: number; pids: number[]; goneWithinMs?: number}> {
  const started = Date.now()
  let alive = await findMarked(marker)
  while (alive.length > 0 && Date.now() - started < graceMs) {
    await sleep(25)
    alive = await findMarked(marker)
  }
  if (alive.length === 0) return {orphans: 0, pids: [], goneWithinMs: Date.now() - started}
  for (const pid of alive) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // Already gone.
    }
  }
  return {orphans: alive.length, pids: alive}
}
