import {execFileSync} from 'node:child_process'
import {readFileSync} from 'node:fs'

/** Resident set size of another process in bytes (0 when it cannot be read, e.g. it has exited). */
export function processRss(pid: number): number {
  try {
    if (process.platform === 'linux') {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
      return match ? Number(match[1]) * 1024 : 0
    }
    if (process.platform === 'win32') {
      const out = execFileSync('tasklist', ['/FI', `PID eq ${pid}`, '/FO', 'CSV', '/NH'], {encoding: 'utf8'})
      const kb = /"([\d,.\s]+) K"/.exec(out)?.[1]?.replace(/[^\d]/g, '')
      return kb ? Number(kb) * 1024 : 0
    }
    return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], {encoding: 'utf8'}).trim()) * 1024 || 0
  } catch {
    return 0
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
