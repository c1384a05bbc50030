import {execFileSync} from 'node:child_process'

let goVersionCache: string | null | undefined

/** `go version`'s version (e.g. "1.26.8"), or null when no Go toolchain is on PATH. */
export function goVersion(): string | null {
  if (goVersionCache !== undefined) return goVersionCache
  try {
    const out = execFileSync('go', ['env', 'GOVERSION'], {encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'ignore']})
    goVersionCache = out.trim().replace(/^go/, '') || null
  } catch {
    goVersionCache = null
  }
  return goVersionCache
}
