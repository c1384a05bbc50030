// Files replaced in one step: a run killed mid-write never leaves half a report, half a bundle or half a binary.
import {renameSync, writeFileSync} from 'node:fs'

let written = 0

/** A name beside `file` for this process's own unfinished copy (parallel runs each write theirs, then rename); `extension` stays last. */
export function temporaryFor(file: string, extension = ''): string {
  const stem = extension && file.endsWith(extension) ? file.slice(0, -extension.length) : file
  return `${stem}.${process.pid}-${++written}.tmp${extension}`
}

/** Writes `text` to `file` atomically: to a temporary beside it, then renamed over it. */
export function writeFileAtomic(file: string, text: string): void {
  const temporary = temporaryFor(file)
  writeFileSync(temporary, text)
  renameSync(temporary, file)
}
