// Orchestrates `scale`: floors first (so each row's ratios are known the moment it finishes), then the rows;
// every step in a throwaway host whose process tree this process measures. One failing row never stops the run.
import {codedError} from '../../sample/contract.js'
import {distPath} from '../../paths.js'
import {floors, mechanisms} from '../../mechanisms/index.js'
import {hasOwnScaleHost, isLoadable, isScalable, type Loadable, type OwnScaleHost, type Row, type Scalable} from '../../mechanisms/row.js'
import {identityOf} from '../../results/identity.js'
import type {LoadOptions} from '../../transport/types.js'
import {
  callsPointFailed,
  callsPointOk,
  instancesMemory,
  instancesPointFailed,
  instancesPointOk,
  instancesPointShared,
  measuredPart,
  notApplicablePart,
  scaleRowFailed,
  scaleRowOk,
  scaleRowSkipped,
  type CallsPoint,
  type InstancesPoint,
  type ScalePart,
  type ScaleRow,
} from '../../results/scale.js'
import {round, summarize} from '../stats.js'
import {summarizeCalls} from './concurrent-calls.js'
import {runScaleHost, type HostRun} from './host-run.js'
import type {ScaleSettings} from './settings.js'
import type {ScaleStep} from './steps.js'

export interface ScaleRunHooks {
  onProgress?(row: Row, index: number, total: number, message: string): void
  /** Called as each row finishes, with every row finished so far (in report order): save them now. */
  onRow?(rows: ScaleRow[]): void
}

/** A row scale measures: it says how it scales, and its plugin is loaded by the Node scale host or its own. */
export type ScaleRowSpec = Row & Scalable & (Loadable | OwnScaleHost)

/** The rows `scale` measures: those asked for (all that take part when none), then the floors they are compared with. */
export function selectScaleRows(ids: readonly string[] = [], withFloors = true): ScaleRowSpec[] {
  const chosen = mechanisms.filter(isScalable).filter((m) => ids.length === 0 || ids.includes(m.id))
  if (!withFloors) return chosen
  const needed = new Set(chosen.map((m) => m.floors?.call))
  return [...chosen, ...floors.filter(isScalable).filter((f) => needed.has(f.id) || ids.includes(f.id))]
}

export const scaleRowIds = [...mechanisms, ...floors].filter(isScalable).map((m) => m.id)

class WrongAnswer extends Error {}

/** a / b to three significant figures (throughputs span six orders of magnitude), or undefined unless both are positive: a ratio of noise says nothing. */
export const scaleRatio = (a: number, b: number): number | undefined => (a > 0 && b > 0 ? Number((a / b).toPrecision(3)) : undefined)

function nodeScaleHost(mechanism: Row, step: ScaleStep, options: LoadOptions) {
  const job = {id: mechanism.id, step, options}
  return {file: process.execPath, args: ['--expose-gc', distPath('src', 'measure', 'scale', 'scale-host.js'), JSON.stringify(job)]}
}

async function runStep(mechanism: ScaleRowSpec, step: ScaleStep, options: LoadOptions, deadlineMs: number): Promise<HostRun> {
  const command = hasOwnScaleHost(mechanism) ? await mechanism.scaleHost(step, options) : nodeScaleHost(mechanism, step, options)
  return runScaleHost(command, deadlineMs)
}

const notesOf = (run: HostRun): string[] => (run.ran && run.outcome.step !== 'failed' ? (run.outcome.notes ?? []) : [])

function instancesPoint(n: number, run: HostRun): InstancesPoint {
  if (!run.ran) return instancesPointFailed(n, run.errorCode, run.reason, 0)
  const outcome = run.outcome
  if (outcome.step === 'failed') return instancesPointFailed(n, outcome.error.code, outcome.error.message, 0)
  if (outcome.step !== 'instances') throw new Error(`the scale host answered an instances step with a ${outcome.step} outcome`)
  if (outcome.error) {
    if (outcome.error.code === 'WRONG_ANSWER') throw new WrongAnswer(`with ${n} plugins loaded: ${outcome.error.message}`)
    return instancesPointFailed(n, outcome.error.code, outcome.error.message, outcome.answeredExactly)
  }
  const before = run.memory.baseline ?? {measured: false as const, reason: 'the host did not ask for its memory before loading'}
  const after = run.memory.loaded ?? {measured: false as const, reason: 'the host did not ask for its memory once loaded'}
  const figures = {n, allAnsweredMs: round(outcome.allAnsweredMs, 3), startP50Ms: round(summarize(outcome.loadMs).p50, 3), memory: instancesMemory(before, after, n)}
  if (outcome.distinctInstances !== undefined && outcome.distinctInstances < n) return instancesPointShared(figures, outcome.distinctInstances)
  return instancesPointOk(figures)
}

function callsPoints(concurrency: readonly number[], run: HostRun): CallsPoint[] {
  if (!run.ran) return concurrency.map((c) => callsPointFailed(c, run.errorCode, run.reason))
  const outcome = run.outcome
  if (outcome.step === 'failed') return concurrency.map((c) => callsPointFailed(c, outcome.error.code, outcome.error.message))
  if (outcome.step !== 'calls') throw new Error(`the scale host answered a calls step with a ${outcome.step} outcome`)
  const points = outcome.runs.map((r): CallsPoint => {
    if ('error' in r) {
      if (r.error.code === 'WRONG_ANSWER') throw new WrongAnswer(`with ${r.c} call${r.c === 1 ? '' : 's'} in flight: ${r.error.message}`)
      return callsPointFailed(r.c, r.error.code, r.error.message)
    }
    return callsPointOk(summarizeCalls(r.c, r.timings, r.capped))
  })
  const single = points.find((p) => p.status === 'ok' && p.c === 1)
  return points.map((p) => (p.status === 'ok' && single?.status === 'ok' ? callsPointOk(p, {gainOverC1: scaleRatio(p.callsPerSec, single.callsPerSec)}) : p))
}

function stepDeadlineMs(settings: ScaleSettings, step: ScaleStep): number {
  if (step.step === 'instances') return settings.startTimeoutMs + 60_000
  return settings.startTimeoutMs + step.concurrency.length * (settings.calls.durationMs + settings.warmup.durationMs) * 4 + 60_000
}

async function measureInstances(mechanism: ScaleRowSpec, settings: ScaleSettings, options: LoadOptions, progress: (message: string) => void): Promise<{part: ScalePart<InstancesPoint>; notes: string[]}> {
  const points: InstancesPoint[] = []
  const notes: string[] = []
  for (const n of settings.instanceCounts) {
    progress(`${n} plugin${n === 1 ? '' : 's'} at once`)
    const step: ScaleStep = {step: 'instances', n}
    const run = await runStep(mechanism, step, options, stepDeadlineMs(settings, step))
    points.push(instancesPoint(n, run))
    notes.push(...notesOf(run))
  }
  return {part: measuredPart(points), notes}
}

async function measureCalls(mechanism: ScaleRowSpec, settings: ScaleSettings, options: LoadOptions, progress: (message: string) => void): Promise<{part: ScalePart<CallsPoint>; notes: string[]}> {
  progress(`calls in flight: ${settings.concurrency.join(', ')}`)
  const step: ScaleStep = {step: 'calls', concurrency: settings.concurrency, limits: settings.calls, warmup: settings.warmup}
  const run = await runStep(mechanism, step, options, stepDeadlineMs(settings, step))
  return {part: measuredPart(callsPoints(settings.concurrency, run)), notes: notesOf(run)}
}

/** Measures one row's scale figures. Errors become a failed or skipped row; nothing here throws. */
export async function measureScaleRow(mechanism: Row, settings: ScaleSettings, options: LoadOptions, progress: (message: string) => void = () => {}): Promise<ScaleRow> {
  const base = identityOf(mechanism)
  if (!isScalable(mechanism)) return scaleRowSkipped(base, `${mechanism.id} has no scale figures: it demonstrates a fact and holds no plugin to call`)
  const facts = mechanism.scale
  const support = await mechanism.detect()
  if (!support.supported) return scaleRowSkipped(base, support.reason)
  const rowOptions: LoadOptions = {...options, startTimeoutMs: settings.startTimeoutMs}
  try {
    const instances = facts.instances.supported ? await measureInstances(mechanism, settings, rowOptions, progress) : {part: notApplicablePart<InstancesPoint>(facts.instances.reason), notes: []}
    const calls = facts.calls.supported ? await measureCalls(mechanism, settings, rowOptions, progress) : {part: notApplicablePart<CallsPoint>(facts.calls.reason), notes: []}
    return scaleRowOk(base, instances.part, calls.part, [...new Set([...instances.notes, ...calls.notes])])
  } catch (error) {
    if (error instanceof WrongAnswer) return scaleRowFailed(base, 'WRONG_ANSWER', error.message)
    const {code, message} = codedError(error, 'SCALE_FAILED')
    return scaleRowFailed(base, code, message)
  }
}

/** Adds an ok row's ratios against its floor's figures at the same N and the same C, measured in this run. */
export function withScaleRatios(row: ScaleRow, finished: readonly ScaleRow[]): ScaleRow {
  const floor = finished.find((r) => r.mechanism === row.floor)
  if (row.status !== 'ok' || floor?.status !== 'ok') return row
  const instances: ScalePart<InstancesPoint> =
    row.instances.status === 'measured' && floor.instances.status === 'measured'
      ? measuredPart(
          row.instances.points.map((p) => {
            const f = floor.instances.status === 'measured' ? floor.instances.points.find((q) => q.n === p.n) : undefined
            if (p.status !== 'ok' || f?.status !== 'ok') return p
            const perPluginBytes = p.memory.measured && f.memory.measured ? scaleRatio(p.memory.perPluginBytes, f.memory.perPluginBytes) : undefined
            return instancesPointOk(p, {allAnswered: scaleRatio(p.allAnsweredMs, f.allAnsweredMs), perPluginBytes})
          }),
        )
      : row.instances
  const calls: ScalePart<CallsPoint> =
    row.calls.status === 'measured' && floor.calls.status === 'measured'
      ? measuredPart(
          row.calls.points.map((p) => {
            const f = floor.calls.status === 'measured' ? floor.calls.points.find((q) => q.c === p.c) : undefined
            if (p.status !== 'ok' || f?.status !== 'ok') return p
            return callsPointOk(p, {gainOverC1: p.gainOverC1, vsFloor: scaleRatio(p.callsPerSec, f.callsPerSec)})
          }),
        )
      : row.calls
  return {...row, instances, calls}
}

export async function runScale(rows: readonly ScaleRowSpec[], settings: ScaleSettings, options: LoadOptions, hooks: ScaleRunHooks = {}): Promise<ScaleRow[]> {
  const order = [...rows.filter((r) => r.family === 'floor'), ...rows.filter((r) => r.family !== 'floor')]
  const finished: ScaleRow[] = []
  const inReportOrder = () => rows.map((r) => finished.find((f) => f.mechanism === r.id)).filter((r): r is ScaleRow => r !== undefined)
  for (const [index, mechanism] of order.entries()) {
    const progress = (message: string) => hooks.onProgress?.(mechanism, index, order.length, message)
    progress('starting')
    const rowOptions = isLoadable(mechanism) && mechanism.takesPluginPath ? options : {...options, pluginPath: undefined}
    finished.push(withScaleRatios(await measureScaleRow(mechanism, settings, rowOptions, progress), finished))
    hooks.onRow?.(inReportOrder())
  }
  return inReportOrder()
}
