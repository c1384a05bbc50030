// The words of a scale point, shared by the terminal table and the markdown report.
import type {CallsPoint, InstancesMemory, InstancesPoint, ScalePart, ScaleRowOk} from '../results/scale.js'
import {formatBytes, formatCount, formatMs, formatNs, formatRatio} from './format.js'

/** Memory per plugin; a growth at or below zero is within the noise of the host's own memory. */
export function perPluginMemory(memory: InstancesMemory): string {
  if (!memory.measured) return 'not measured'
  return memory.perPluginBytes > 0 ? formatBytes(memory.perPluginBytes) : '≤ 0'
}

/** All N answered after · memory per plugin. */
export function instancesCell(point: InstancesPoint | undefined): string {
  if (point === undefined) return '-'
  if (point.status === 'failed') return `failed (${point.errorCode}): ${point.answeredExactly} of ${point.n} answered`
  if (point.status === 'shared') return `${point.n} loads gave ${point.distinctInstances} plugin${point.distinctInstances === 1 ? '' : 's'}`
  return `${formatMs(point.allAnsweredMs)} · ${perPluginMemory(point.memory)}`
}

/** Calls/s · p99. */
export function callsCell(point: CallsPoint | undefined): string {
  if (point === undefined) return '-'
  if (point.status === 'failed') return `failed (${point.errorCode})`
  return `${formatCount(point.callsPerSec)}/s · ${formatNs(point.p99Ns)}${point.capped ? ' (capped)' : ''}`
}

/** Start · memory per plugin against the floor, at the row's largest N measured; the N is named when not the largest of the table. */
export function instancesFloorCell(point: InstancesPoint | undefined, largestN: number | undefined): string {
  if (point?.status !== 'ok' || point.vsFloor === undefined) return '-'
  const at = point.n === largestN ? '' : `N=${point.n}: `
  return `${at}${formatRatio(point.vsFloor.allAnswered)} · ${formatRatio(point.vsFloor.perPluginBytes)}`
}

/** What a row says about a part it cannot measure, or the reasons its points failed: lines under a table. */
export function partNotes(row: ScaleRowOk): string[] {
  const notes: string[] = []
  const part = (name: string, p: ScalePart<InstancesPoint> | ScalePart<CallsPoint>) => {
    if (p.status === 'not-applicable') notes.push(`${name}: not measured: ${p.reason}`)
    else for (const point of p.points as (InstancesPoint | CallsPoint)[]) if (point.status === 'failed') notes.push(`${name} ${'n' in point ? `N=${point.n}` : `C=${point.c}`}: ${point.reason}`)
  }
  part('plugins at once', row.instances)
  part('calls in flight', row.calls)
  return [...notes, ...(row.notes ?? [])]
}
