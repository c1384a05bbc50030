import {execFileSync} from 'node:child_process'
import {readFileSync} from 'node:fs'

/** Resident set size of another process in bytes; undefined when it cannot be read (it has exited, no tool for it). */
export function processRss(pid: number): number | undefined {
  try {
    if (process.platform === 'linux') {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
      return match ? Number(match[1]) * 1024 : undefined
    }
    if (process.platform === 'win32') {
      const out = execFileSync('tasklist', ['/FI', `PID eq ${pid}`, '/FO', 'CSV', '/NH'], {encoding: 'utf8'})
      const kb = /"([\d,.\s]+) K"/.exec(out)?.[1]?.replace(/[^\d]/g, '')
      return kb ? Number(kb) * 1024 : undefined
    }
    const kb = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], {encoding: 'utf8'}).trim())
    return kb > 0 ? kb * 1024 : undefined
  } catch {
    return undefined
  }
}

/** A full collection, when the process was started with --expose-gc (twice: the first frees what finalizers hold). */
export function collectGarbage(): void {
  const gc = (globalThis as {gc?: () => void}).gc
  if (gc) {
    gc()
    gc()
  }
}

/** This process's RSS after a full collection, when the runner was started with --expose-gc. */
export function settledRss(): number {
  collectGarbage()
  return process.memoryUsage.rss()
}

/** What loading a plugin adds: the host's growth after a full collection plus the plugin process's own RSS. */
export async function measureLoad<T extends {pid?: number}>(load: () => Promise<T>): Promise<{loaded: T; rssBytes?: number}> {
  const before = settledRss()
  const loaded = await load()
  const growth = Math.max(0, settledRss() - before)
  if (loaded.pid === undefined) return {loaded, rssBytes: growth}
  const own = processRss(loaded.pid)
  return {loaded, rssBytes: own === undefined ? undefined : growth + own}
}
