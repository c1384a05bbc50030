// Files written in one step: a run killed mid-write, or a parallel run reading, never sees half a file.
import {renameSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'

let counter = 0

/** A name for this process's own unfinished copy of `file`, beside it and with its extension: parallel runs each write their own. */
export function temporaryName(file: string): string {
  const ext = path.extname(file)
  return `${file.slice(0, file.length - ext.length)}.${process.pid}-${++counter}.tmp${ext}`
}

/** Renames `from` over `to`. Windows refuses a rename over a file another process has open for a moment: it tries again briefly. */
export function renameIntoPlace(from: string, to: string): void {
  for (let attempt = 1; ; attempt++) {
    try {
      renameSync(from, to)
      return
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (attempt >= 10 || (code !== 'EPERM' && code !== 'EACCES' && code !== 'EBUSY')) throw error
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20 * attempt)
    }
  }
}

/** Writes `data` to `file` in one step. */
export function writeFileAtomic(file: string, data: string): void {
  const temporary = temporaryName(file)
  try {
    writeFileSync(temporary, data)
    renameIntoPlace(temporary, file)
  } finally {
    rmSync(temporary, {force: true})
  }
}
