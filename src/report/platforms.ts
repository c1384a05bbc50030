// The documented platform matrix, as each row declares it (its `platforms`, with sources a reader can check),
// beside what a run actually detected: each mechanism tried on the machine, with its status.
import {findRow, mechanisms} from '../mechanisms/index.js'
import {PLATFORMS, type Platform, type Platforms} from '../mechanisms/row.js'
import {benchRow, crashRows, type Machine} from './merge.js'

export {PLATFORMS, type Platform}

/** The documented support of a row; undefined for an id no row of this version has (a report from another). */
export function documentedSupport(mechanism: string): Platforms | undefined {
  return findRow(mechanism)?.platforms
}

/** Every mechanism (floors aside), in registry order: the platform matrix lists them all, tried here or not. */
export function documentedMechanisms(): string[] {
  return mechanisms.map((m) => m.id)
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
    if (probes.some((probe) => probe.status === 'ok')) return {state: 'ran'}
    const skipped = probes.find((probe) => probe.status === 'skipped')
    return skipped !== undefined && probes.every((probe) => probe.status === 'skipped') ? {state: 'skipped', reason: skipped.reason} : {state: 'not-tried'}
  }
  if (row.status === 'ok' || row.status === 'finding') return {state: 'ran'}
  if (row.status === 'skipped') return {state: 'skipped', reason: row.reason}
  return {state: 'failed', reason: row.reason, errorCode: row.errorCode}
}

/** The platforms a mechanism is documented to run on, e.g. "linux, darwin, freebsd"; undefined when not documented. */
export function documentedPlatforms(mechanism: string): string | undefined {
  const entry = documentedSupport(mechanism)
  if (entry === undefined) return undefined
  const yes = PLATFORMS.filter((p) => entry.support[p] === 'yes')
  return yes.length === PLATFORMS.length ? 'all four' : yes.join(', ')
}

/** Whether a detection on this machine contradicts the documented matrix (ran where documented "no"). */
export function contradicts(machine: Machine, mechanism: string): boolean {
  const platform = platformOf(machine.report.host.os)
  const entry = documentedSupport(mechanism)
  if (platform === undefined || entry === undefined) return false
  return entry.support[platform] === 'no' && detected(machine, mechanism).state === 'ran'
}
