// The documented platform matrix (FACTS.md section 4, with the sources a reader can check), beside what a run
// actually detected: each mechanism tried on the machine, with its status.
import {benchRow, crashRows, type Machine} from './merge.js'

export const PLATFORMS = ['linux', 'darwin', 'windows', 'freebsd'] as const
export type Platform = (typeof PLATFORMS)[number]

export type Documented = 'yes' | 'no'

export interface PlatformEntry {
  support: Record<Platform, Documented>
  note?: string
  sources: string[]
}

const everywhere: Record<Platform, Documented> = {linux: 'yes', darwin: 'yes', windows: 'yes', freebsd: 'yes'}

const NODE_ESM = 'https://nodejs.org/api/esm.html#import-expressions'
const NODE_WORKERS = 'https://nodejs.org/api/worker_threads.html'
const NODE_IPC_PATHS = 'https://nodejs.org/api/net.html#identifying-paths-for-ipc-connections'
const NODE_CHILD = 'https://nodejs.org/api/child_process.html'
const GO_PLUGIN_PKG = 'https://pkg.go.dev/plugin#hdr-Warnings'
const GO_ISSUE_19282 = 'https://github.com/golang/go/issues/19282'
const HASHICORP = 'https://github.com/hashicorp/go-plugin'
const GO_PORTS = 'https://go.dev/wiki/PortingPolicy'
const NODE_WASI = 'https://nodejs.org/api/wasi.html'
const WAZERO = 'https://wazero.io'

const PIPES_ON_WINDOWS = 'unix sockets are named pipes (`\\\\.\\pipe\\...`) on Windows'

export const DOCUMENTED: Readonly<Record<string, PlatformEntry>> = {
  'in-process': {support: everywhere, sources: [NODE_ESM]},
  'compiled-in': {support: everywhere, note: 'esbuild runs wherever Node does', sources: ['https://esbuild.github.io/getting-started/']},
  'worker-thread': {support: everywhere, sources: [NODE_WORKERS]},
  'child-rpc': {support: everywhere, note: PIPES_ON_WINDOWS, sources: [NODE_CHILD, NODE_IPC_PATHS]},
  'child-grpc': {support: everywhere, note: 'go-plugin protocol: TCP on 127.0.0.1 on Windows', sources: [HASHICORP, NODE_IPC_PATHS]},
  'go-stdlib-plugin': {
    support: {linux: 'yes', darwin: 'yes', windows: 'no', freebsd: 'yes'},
    note: 'needs cgo; a plugin can never be unloaded (golang/go#20461)',
    sources: [GO_PLUGIN_PKG, GO_ISSUE_19282],
  },
  'go-coupling': {
    support: {linux: 'yes', darwin: 'yes', windows: 'no', freebsd: 'yes'},
    note: 'a demonstration of the Go plugin package: the same platforms',
    sources: [GO_PLUGIN_PKG],
  },
  'go-plugin-platforms': {support: everywhere, note: 'asks the Go toolchain, which runs everywhere, which platforms take -buildmode=plugin', sources: [GO_PLUGIN_PKG, GO_ISSUE_19282]},
  'go-rebuild': {support: everywhere, note: 'rebuilds the Go hosts; its stdlib-plugin case only where Go plugins build', sources: [GO_PORTS, GO_PLUGIN_PKG]},
  'go-hashicorp': {support: everywhere, note: 'TCP on 127.0.0.1 instead of a unix socket on Windows', sources: [HASHICORP]},
  'go-compiled-in': {support: everywhere, sources: [GO_PORTS]},
  'ts-host-go-plugin': {support: everywhere, note: 'TCP on 127.0.0.1 on Windows', sources: [HASHICORP, NODE_IPC_PATHS]},
  'go-host-ts-plugin': {support: everywhere, note: 'TCP on 127.0.0.1 on Windows', sources: [HASHICORP]},
  wasm: {support: everywhere, sources: [NODE_WASI]},
  'go-wasm': {support: everywhere, sources: [WAZERO]},
  'floor-direct-call': {support: everywhere, sources: [NODE_ESM]},
  'floor-postmessage': {support: everywhere, sources: [NODE_WORKERS]},
  'floor-unix-socket': {support: everywhere, note: PIPES_ON_WINDOWS, sources: [NODE_IPC_PATHS]},
  'floor-spawn': {support: everywhere, sources: [NODE_CHILD]},
  'floor-go-direct-call': {support: everywhere, sources: [GO_PORTS]},
}

/** Node's process.platform as the matrix names it. */
export function platformOf(os: string): Platform | undefined {
  if (os === 'win32') return 'windows'
  return (PLATFORMS as readonly string[]).includes(os) ? (os as Platform) : undefined
}

export type Detected =
  | {state: 'ran'}
  | {state: 'skipped'; reason: string}
  | {state: 'failed'; reason: string; errorCode?: string}
  | {state: 'not-tried'}

/** What bench found of a mechanism on this machine; without a bench row, whether crash-test's probes ran it. */
export function detected(machine: Machine, mechanism: string): Detected {
  const row = benchRow(machine, mechanism)
  if (row === undefined) {
    const probes = crashRows(machine, mechanism)
    if (probes.some((probe) => probe.status === undefined || probe.status === 'ok')) return {state: 'ran'}
    const skipped = probes.find((probe) => probe.status === 'skipped')
    return skipped?.reason !== undefined && probes.every((probe) => probe.status === 'skipped') ? {state: 'skipped', reason: skipped.reason} : {state: 'not-tried'}
  }
  if (row.status === 'ok') return {state: 'ran'}
  if (row.status === 'skipped') return {state: 'skipped', reason: row.reason}
  return {state: 'failed', reason: row.reason, errorCode: row.errorCode}
}

/** The platforms a mechanism is documented to run on, e.g. "linux, darwin, freebsd"; undefined when not documented. */
export function documentedPlatforms(mechanism: string): string | undefined {
  const entry = DOCUMENTED[mechanism]
  if (entry === undefined) return undefined
  const yes = PLATFORMS.filter((p) => entry.support[p] === 'yes')
  return yes.length === PLATFORMS.length ? 'all four' : yes.join(', ')
}

/** Whether a detection on this machine contradicts the documented matrix (ran where documented "no"). */
export function contradicts(machine: Machine, mechanism: string): boolean {
  const platform = platformOf(machine.report.host.os)
  const entry = DOCUMENTED[mechanism]
  if (platform === undefined || entry === undefined) return false
  return entry.support[platform] === 'no' && detected(machine, mechanism).state === 'ran'
}
