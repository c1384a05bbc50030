import {execFileSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import os from 'node:os'
import {fixturePath} from '../paths.js'
import type {HostInfo} from './types.js'
import {libraryVersions} from './versions.js'

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

function inContainer(): boolean {
  if (existsSync('/.dockerenv') || existsSync('/run/.containerenv')) return true
  try {
    return /docker|kubepods|containerd|lxc|podman/.test(readFileSync('/proc/1/cgroup', 'utf8'))
  } catch {
    return false
  }
}

export function hostInfo(): HostInfo {
  const cpus = os.cpus()
  return {
    os: process.platform,
    arch: process.arch,
    release: os.release(),
    node: process.versions.node,
    go: goVersion(),
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    cpuCount: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    memoryBytes: os.totalmem(),
    container: inContainer(),
    versions: libraryVersions(),
  }
}
