// The data of `scale`: plugins held at once (N) and calls in flight (C), per row. Each result is a tagged
// union built by its one constructor; docs/schema.md describes them for users.
import type {RowIdentity} from './identity.js'

/** Resident memory of a host's whole process tree: the host and every descendant (plugin processes). */
export type TreeMemory = TreeMemoryMeasured | TreeMemoryNotMeasured

export interface TreeMemoryMeasured {
  measured: true
  /** `pss` (Linux smaps_rollup: shared pages split among the processes that map them), or `rss` (VmRSS, ps). */
  method: 'pss' | 'rss'
  bytes: number
  /** Processes summed: the host and its descendants alive when measured. */
  processes: number
}

export interface TreeMemoryNotMeasured {
  measured: false
  reason: string
}

export const treeMemoryMeasured = (method: TreeMemoryMeasured['method'], bytes: number, processes: number): TreeMemoryMeasured => ({measured: true, method, bytes, processes})
export const treeMemoryNotMeasured = (reason: string): TreeMemoryNotMeasured => ({measured: false, reason})

/** What N plugins loaded at once cost: the tree before loading (the host alone) and with all N answering. */
export type InstancesMemory = InstancesMemoryMeasured | TreeMemoryNotMeasured

export interface InstancesMemoryMeasured {
  measured: true
  method: TreeMemoryMeasured['method']
  hostBytes: number
  totalBytes: number
  /** (totalBytes - hostBytes) / n. */
  perPluginBytes: number
  processes: number
}

/** The memory of N loaded plugins from the tree measured before and after loading them. */
export function instancesMemory(before: TreeMemory, after: TreeMemory, n: number): InstancesMemory {
  if (!before.measured) return before
  if (!after.measured) return after
  if (before.method !== after.method) return treeMemoryNotMeasured(`the tree was measured by ${before.method} before loading and by ${after.method} after: not comparable`)
  return {measured: true, method: after.method, hostBytes: before.bytes, totalBytes: after.bytes, perPluginBytes: Math.round((after.bytes - before.bytes) / n), processes: after.processes}
}

/** One N: every plugin loaded at once, timed until the last answered, its memory, and a second exact answer from each. */
export type InstancesPoint = InstancesPointOk | InstancesPointShared | InstancesPointFailed

interface InstancesFigures {
  n: number
  /** From starting all N loads at once to the last first answer. */
  allAnsweredMs: number
  /** The median of each plugin's own load-to-first-answer time. */
  startP50Ms: number
  memory: InstancesMemory
}

export interface InstancesPointOk extends InstancesFigures {
  status: 'ok'
  /** allAnsweredMs and memory.perPluginBytes divided by the floor's at the same N. */
  vsFloor?: {allAnswered?: number; perPluginBytes?: number}
}

/** The N loads all answered, but fewer distinct plugins came back: this host cannot hold N (Go's plugin.Open). */
export interface InstancesPointShared extends InstancesFigures {
  status: 'shared'
  distinctInstances: number
}

export interface InstancesPointFailed {
  status: 'failed'
  n: number
  errorCode: string
  reason: string
  /** Plugins that had answered exactly when the point failed. */
  answeredExactly: number
}

export const instancesPointOk = (figures: InstancesFigures, vsFloor?: InstancesPointOk['vsFloor']): InstancesPointOk => ({status: 'ok', ...figures, ...(vsFloor ? {vsFloor} : {})})
export const instancesPointShared = (figures: InstancesFigures, distinctInstances: number): InstancesPointShared => ({status: 'shared', ...figures, distinctInstances})
export const instancesPointFailed = (n: number, errorCode: string, reason: string, answeredExactly: number): InstancesPointFailed => ({status: 'failed', n, errorCode, reason, answeredExactly})

/** One C: C callers each keeping one call in flight on one loaded plugin, every answer checked against its own input. */
export type CallsPoint = CallsPointOk | CallsPointFailed

export interface CallsFigures {
  c: number
  calls: number
  /** From the first call's start to the last call's end. */
  wallMs: number
  /** calls / wallMs. */
  callsPerSec: number
  /** The throughput of each of the run's five equal time windows, in order: how steady it was (and compare's samples). */
  windowCallsPerSec: number[]
  p50Ns: number
  p99Ns: number
  /** The run stopped at the call cap before its time was up (very fast rows). */
  capped: boolean
}

export interface CallsPointOk extends CallsFigures {
  status: 'ok'
  /** callsPerSec divided by this row's callsPerSec at C=1. */
  gainOverC1?: number
  /** callsPerSec divided by the floor's at the same C. */
  vsFloor?: number
}

export interface CallsPointFailed {
  status: 'failed'
  c: number
  errorCode: string
  reason: string
}

export const callsPointOk = (figures: CallsFigures, ratios: {gainOverC1?: number; vsFloor?: number} = {}): CallsPointOk => ({status: 'ok', ...figures, ...definedOnly(ratios)})
export const callsPointFailed = (c: number, errorCode: string, reason: string): CallsPointFailed => ({status: 'failed', c, errorCode, reason})

/** A row measures a part of scale, or says why it cannot (a row that cannot hold N, calls that never overlap). */
export type ScalePart<P> = {status: 'measured'; points: P[]} | {status: 'not-applicable'; reason: string}

export const measuredPart = <P>(points: P[]): ScalePart<P> => ({status: 'measured', points})
export const notApplicablePart = <P>(reason: string): ScalePart<P> => ({status: 'not-applicable', reason})

/** The row's identity; its floor is the row this row's scaling is compared with, measured the same way in the same run. */
type ScaleRowBase = RowIdentity

export interface ScaleRowOk extends ScaleRowBase {
  status: 'ok'
  instances: ScalePart<InstancesPoint>
  calls: ScalePart<CallsPoint>
  notes?: string[]
}

export interface ScaleRowSkipped extends ScaleRowBase {
  status: 'skipped'
  reason: string
}

/** A wrong answer anywhere fails the whole row (never a figure), as does a host that could not be run. */
export interface ScaleRowFailed extends ScaleRowBase {
  status: 'failed'
  errorCode: string
  reason: string
}

export type ScaleRow = ScaleRowOk | ScaleRowSkipped | ScaleRowFailed

export type ScaleRowIdentity = ScaleRowBase

export const scaleRowOk = (base: ScaleRowIdentity, instances: ScalePart<InstancesPoint>, calls: ScalePart<CallsPoint>, notes: string[] = []): ScaleRowOk => ({
  ...base,
  status: 'ok',
  instances,
  calls,
  ...(notes.length > 0 ? {notes} : {}),
})
export const scaleRowSkipped = (base: ScaleRowIdentity, reason: string): ScaleRowSkipped => ({...base, status: 'skipped', reason})
export const scaleRowFailed = (base: ScaleRowIdentity, errorCode: string, reason: string): ScaleRowFailed => ({...base, status: 'failed', errorCode, reason})

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}

/** The N and the C values any of these rows measured, ascending: the columns of a scale table. */
export function scaleColumns(rows: readonly ScaleRow[]): {ns: number[]; cs: number[]} {
  const ns = new Set<number>()
  const cs = new Set<number>()
  for (const row of rows) {
    if (row.status !== 'ok') continue
    if (row.instances.status === 'measured') for (const p of row.instances.points) ns.add(p.n)
    if (row.calls.status === 'measured') for (const p of row.calls.points) cs.add(p.c)
  }
  const ascending = (values: Set<number>) => [...values].sort((a, b) => a - b)
  return {ns: ascending(ns), cs: ascending(cs)}
}

export function instancesAt(row: ScaleRowOk, n: number): InstancesPoint | undefined {
  return row.instances.status === 'measured' ? row.instances.points.find((p) => p.n === n) : undefined
}

export function callsAt(row: ScaleRowOk, c: number): CallsPoint | undefined {
  return row.calls.status === 'measured' ? row.calls.points.find((p) => p.c === c) : undefined
}

/** The ok point of the largest N (or C) a row measured: where its ratios are read. */
export function largestOk<P extends {status: string}>(points: readonly P[], size: (p: P) => number): Extract<P, {status: 'ok'}> | undefined {
  return [...points].filter((p): p is Extract<P, {status: 'ok'}> => p.status === 'ok').sort((a, b) => size(b) - size(a))[0]
}
