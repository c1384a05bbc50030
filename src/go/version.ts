// The Go toolchain's version, asked once: the report's host section and the build cache's key both name it.
import {execFileSync} from 'node:child_process'
import {fixturePath} from '../paths.js'

let goVersionCache: string | null | undefined

/**
 * `go version`'s version (e.g. "1.26.8"), or null when no Go toolchain is on PATH. Asked in fixtures/go, where the
 * rows are built: there a go that switches toolchains (GOTOOLCHAIN=auto) names the one its go.mod selects.
 */
export function goVersion(): string | null {
  if (goVersionCache !== undefined) return goVersionCache
  try {
    const out = execFileSync('go', ['env', 'GOVERSION'], {cwd: fixturePath('go'), encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'ignore']})
    goVersionCache = out.trim().replace(/^go/, '') || null
  } catch {
    goVersionCache = null
  }
  return goVersionCache
}
