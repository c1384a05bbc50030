// A document of schemaVersion 1 as one of version 2 (docs/schema.md, "Reading version 1"): each result keeps the
// data of its variant only. A bench row of a demonstration becomes a `finding`; skipped and failed results lose
// the figures they carried as defaults; cells without a status were probed; a missing title is the row's own.
// Nothing is judged again: a cell's `asExpected` is what the run recorded (its `expected` has no errorCodes).
import {findRow} from '../mechanisms/index.js'
import {SCHEMA_VERSION, type BenchRow, type CrashRow, type Family, type HotReloadRow, type OrphanRow, type SurveyReport} from '../results/types.js'

type Fields = Record<string, unknown>

const pick = (row: Fields, keys: readonly string[]): Fields => Object.fromEntries(keys.filter((key) => row[key] !== undefined).map((key) => [key, row[key]]))
const list = (value: unknown): Fields[] => (Array.isArray(value) ? (value as Fields[]) : [])

const BENCH_OK = ['coldStart', 'call', 'payload', 'rssBytes', 'floor', 'overheadRatio', 'coldStartFloor', 'coldStartRatio', 'buildMs', 'buildCached', 'notes']
const BENCH_FINDING = ['finding', 'targets', 'buildMs', 'buildCached', 'notes']
const CELL_OK = ['hostSurvived', 'exitCode', 'signal', 'errorCode', 'errorMessage', 'detectMs', 'recovered', 'orphans', 'expected', 'asExpected', 'stdio', 'notes']
const RELOAD_OK = ['reloadMs', 'calls', 'failedCalls', 'errorCodes', 'answeredByOld', 'answeredByNew', 'oldPid', 'newPid', 'oldProcessExited', 'oldModuleRetained', 'heapGrowthPerReloadBytes', 'notes']
const ORPHANS_OK = ['pluginProcesses', 'orphans', 'goneWithinMs', 'notes']

/** Reads version 1 of a report; `invalid` makes the error for a row it cannot convert. */
export function fromV1(report: Fields, invalid: (what: string) => Error): SurveyReport {
  const bench = list(report.bench)
  // A v1 crash row may lack its family: it is the bench row's, or the row's of this version.
  const familyOf = (row: Fields): Family => {
    const family = row.family ?? bench.find((b) => b.mechanism === row.mechanism)?.family ?? findRow(String(row.mechanism))?.family
    if (family === undefined) throw invalid(`the ${String(row.mechanism)} rows have no family, and no row of this version has that id`)
    return family as Family
  }
  const ref = (row: Fields) => ({mechanism: String(row.mechanism), family: familyOf(row)})
  const notRun = (row: Fields) => ({status: row.status, reason: String(row.reason ?? 'no reason recorded')})

  const benchRow = (row: Fields): BenchRow => {
    const identity = {...ref(row), title: String(row.title ?? findRow(String(row.mechanism))?.title ?? row.mechanism)}
    if (row.status === 'skipped') return {...identity, status: 'skipped', reason: String(row.reason)}
    if (row.status === 'failed') return {...identity, status: 'failed', reason: String(row.reason), ...pick(row, ['errorCode'])}
    // A demonstration row was an ok row with a finding and no timings.
    if (typeof row.finding === 'string' && row.call === undefined && row.coldStart === undefined) return {...identity, status: 'finding', ...pick(row, BENCH_FINDING)} as BenchRow
    return {...identity, status: 'ok', ...pick(row, BENCH_OK)} as BenchRow
  }
  const crashRow = (row: Fields): CrashRow => {
    const cell = {...ref(row), fault: String(row.fault)}
    if (row.status === 'skipped' || row.status === 'failed') return {...cell, ...notRun(row), ...(row.status === 'failed' ? pick(row, ['notes']) : {})} as CrashRow
    return {...cell, status: 'ok', ...pick(row, CELL_OK)} as CrashRow
  }
  const measured = (keys: readonly string[]) => (row: Fields) => ({...ref(row), ...(row.status === 'ok' || row.status === undefined ? {status: 'ok', ...pick(row, keys)} : notRun(row))})

  const converted: Fields = {...report, schemaVersion: SCHEMA_VERSION}
  if (report.bench !== undefined) converted.bench = bench.map(benchRow)
  if (report.crash !== undefined) converted.crash = list(report.crash).map(crashRow)
  if (report.hotReload !== undefined) converted.hotReload = list(report.hotReload).map(measured(RELOAD_OK)) as HotReloadRow[]
  if (report.orphans !== undefined) converted.orphans = list(report.orphans).map(measured(ORPHANS_OK)) as OrphanRow[]
  return converted as SurveyReport
}
