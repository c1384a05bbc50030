// Orchestrates `bench`: floors first (so each mechanism's ratio is known the moment it finishes), then the
// mechanisms, each in a throwaway runner process. One failing row never stops the run.
import {execa} from 'execa'
import {isDemonstration, isLoadable, isMeasuredByOwnHost, type Demonstration, type Row} from '../mechanisms/row.js'
import type {BenchRow} from '../report/types.js'
import {distPath} from '../paths.js'
import type {LoadOptions} from '../transport/types.js'
import {benchOnOwnHost} from './bench-host.js'
import {benchBase, rowDeadlineMs, type BenchSettings} from './settings.js'
import {ratio} from './stats.js'

const PROGRESS_PREFIX = '@@progress '

export interface BenchRunHooks {
  /** Called when a row starts, and with each progress message the runner reports. */
  onProgress?(row: Row, index: number, total: number, message: string): void
  /** Called as each row finishes, with every row finished so far (in report order): save them now. */
  onRow?(rows: BenchRow[]): void
}

async function runInRunner(mechanism: Row, settings: BenchSettings, options: LoadOptions, progress: (m: string) => void): Promise<BenchRow> {
  const base = benchBase(mechanism)
  const deadlineMs = rowDeadlineMs(settings)
  const runner = execa(process.execPath, ['--expose-gc', distPath('src', 'measure', 'runner.js'), JSON.stringify({id: mechanism.id, settings, options})], {
    stdin: 'ignore',
    reject: false,
    timeout: deadlineMs,
    killSignal: 'SIGKILL',
    stderr: 'pipe',
    stdout: 'pipe',
  })
  let stderrTail = ''
  runner.stderr!.setEncoding('utf8')
  let pending = ''
  runner.stderr!.on('data', (chunk: string) => {
    pending += chunk
    let newline: number
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline)
      pending = pending.slice(newline + 1)
      if (line.startsWith(PROGRESS_PREFIX)) progress(line.slice(PROGRESS_PREFIX.length))
      else stderrTail = `${stderrTail}\n${line}`.slice(-1500)
    }
  })
  const result = await runner
  const last = String(result.stdout ?? '').trim().split('\n').pop() ?? ''
  if (result.exitCode === 0 && last.startsWith('{')) return JSON.parse(last) as BenchRow
  const how = result.timedOut
    ? `did not finish within ${Math.round(deadlineMs / 1000)} s and was killed`
    : result.signal
      ? `was killed by ${result.signal}`
      : `exited with code ${result.exitCode}`
  const tail = stderrTail.trim().split('\n').slice(-4).join(' | ')
  return {...base, status: 'failed', reason: `the measuring host process ${how}${tail ? `: ${tail}` : ''}`, errorCode: result.timedOut ? 'BENCH_TIMEOUT' : 'HOST_DIED'}
}

/** Adds each ok row's overhead ratios against the floors measured in the same run. */
export function withRatios(row: BenchRow, finished: readonly BenchRow[]): BenchRow {
  if (row.status !== 'ok') return row
  const find = (id?: string) => {
    const floor = finished.find((r) => r.mechanism === id)
    return floor?.status === 'ok' ? floor : undefined
  }
  const floor = find(row.floor)
  const coldFloor = find(row.coldStartFloor)
  return {
    ...row,
    overheadRatio: ratio(row.call?.p50Ns, floor?.call?.p50Ns),
    coldStartRatio: ratio(row.coldStart?.p50Ms, coldFloor?.coldStart?.p50Ms),
  }
}

// A demonstration's finding, as its row: what it found, verbatim.
async function demonstrate(row: Row & Demonstration, progress: (message: string) => void): Promise<BenchRow> {
  const found = await row.demonstrate(progress)
  return {...benchBase(row), status: 'ok', ...found}
}

/** One row, measured by whatever measures it: a demonstration, its own host, or this package's runner process. */
export async function benchOne(row: Row, settings: BenchSettings, options: LoadOptions, progress: (message: string) => void = () => {}): Promise<BenchRow> {
  const support = await row.detect()
  if (!support.supported) return {...benchBase(row), status: 'skipped', reason: support.reason}
  if (isDemonstration(row)) return demonstrate(row, progress)
  if (isMeasuredByOwnHost(row)) return benchOnOwnHost(row, settings, options, progress)
  return runInRunner(row, settings, options, progress)
}

export async function runBench(rows: readonly Row[], settings: BenchSettings, options: LoadOptions, hooks: BenchRunHooks = {}): Promise<BenchRow[]> {
  const order = [...rows.filter((r) => r.family === 'floor'), ...rows.filter((r) => r.family !== 'floor')]
  const finished: BenchRow[] = []
  const inReportOrder = () => rows.map((r) => finished.find((f) => f.mechanism === r.id)).filter((r): r is BenchRow => r !== undefined)
  for (const [index, mechanism] of order.entries()) {
    const progress = (message: string) => hooks.onProgress?.(mechanism, index, order.length, message)
    progress('starting')
    const rowOptions = isLoadable(mechanism) && mechanism.takesPluginPath ? options : {...options, pluginPath: undefined}
    let row: BenchRow
    try {
      row = await benchOne(mechanism, settings, rowOptions, progress)
    } catch (error) {
      const e = error as {code?: string; message?: string}
      row = {...benchBase(mechanism), status: 'failed', reason: String(e.message ?? error), errorCode: e.code}
    }
    finished.push(withRatios(row, finished))
    hooks.onRow?.(inReportOrder())
  }
  return inReportOrder()
}
