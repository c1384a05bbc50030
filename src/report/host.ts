import {existsSync, readFileSync} from 'node:fs'
import os from 'node:os'
import {goVersion} from '../go/version.js'
import type {HostInfo} from '../results/types.js'
import {libraryVersions} from './versions.js'

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
