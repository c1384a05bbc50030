// Runs from several machines (or several files from one machine: a bench and a crash-test) become one list of
// machines; the renderers put a column per machine where a table compares them.
import type {BenchRow, CrashRow, CrashRowProbed, HotReloadRowOk, LoggingRow, OrphanRowOk, SurveyReport, TerminalRow, VersionRow} from '../results/types.js'

export interface Machine {
  /** Short and stable across runs, e.g. "linux-x64": names the machine's column and its benchmark series. */
  label: string
  report: SurveyReport
  /** The files it was read from; empty for the run made by this process. */
  sources: string[]
}

export interface LabelledReport {
  report: SurveyReport
  source?: string
}

// Two files describe the same machine when everything measurable about its host matches.
function hostKey(report: SurveyReport): string {
  const h = report.host
  return [h.os, h.arch, h.release, h.cpuModel, h.cpuCount, h.node, h.hostname ?? ''].join('\u0000')
}

function mergeRows<T>(earlier: T[] | undefined, later: T[] | undefined, key: (row: T) => string): T[] | undefined {
  if (earlier === undefined) return later
  if (later === undefined) return earlier
  const replaced = new Set(later.map(key))
  return [...earlier.filter((row) => !replaced.has(key(row))), ...later]
}

const benchKey = (row: BenchRow) => row.mechanism
const crashKey = (row: CrashRow) => `${row.mechanism}\u0000${row.fault}`

/** One report of the same machine from two: the later file wins for a row both contain. */
export function combineReports(earlier: SurveyReport, later: SurveyReport): SurveyReport {
  const combined: SurveyReport = {...earlier, ...later, host: later.host}
  if (earlier.settings || later.settings) combined.settings = {...earlier.settings, ...later.settings}
  const bench = mergeRows(earlier.bench, later.bench, benchKey)
  const crash = mergeRows(earlier.crash, later.crash, crashKey)
  const hotReload = mergeRows(earlier.hotReload, later.hotReload, (row) => row.mechanism)
  const orphans = mergeRows(earlier.orphans, later.orphans, (row) => `${row.mechanism}\u0000${row.parentWatch ?? ''}`)
  const versions = mergeRows(earlier.versions, later.versions, (row) => row.mechanism)
  const logging = mergeRows(earlier.logging, later.logging, (row) => row.mechanism)
  const terminals = mergeRows(earlier.terminals, later.terminals, (row) => row.mechanism)
  const scale = mergeRows(earlier.scale, later.scale, (row) => row.mechanism)
  if (bench !== undefined) combined.bench = bench
  if (crash !== undefined) combined.crash = crash
  if (hotReload !== undefined) combined.hotReload = hotReload
  if (orphans !== undefined) combined.orphans = orphans
  if (versions !== undefined) combined.versions = versions
  if (logging !== undefined) combined.logging = logging
  if (terminals !== undefined) combined.terminals = terminals
  if (scale !== undefined) combined.scale = scale
  combined.startedAt = [earlier.startedAt, later.startedAt].sort()[0]!
  return combined
}

export function machineLabel(report: SurveyReport): string {
  return `${report.host.os}-${report.host.arch}`
}

/** Groups reports by machine, in the order machines first appear; labels are made unique with a suffix. */
export function mergeReports(reports: readonly LabelledReport[]): Machine[] {
  const byHost = new Map<string, Machine>()
  for (const {report, source} of reports) {
    const key = hostKey(report)
    const known = byHost.get(key)
    if (known) {
      known.report = combineReports(known.report, report)
      if (source) known.sources.push(source)
    } else byHost.set(key, {label: machineLabel(report), report, sources: source ? [source] : []})
  }
  const machines = [...byHost.values()]
  const seen = new Map<string, number>()
  for (const machine of machines) {
    const count = (seen.get(machine.label) ?? 0) + 1
    seen.set(machine.label, count)
    if (count > 1) machine.label = `${machine.label}-${count}`
  }
  return machines
}

/** Every mechanism id in any machine's bench or crash rows, in first-seen order. */
export function mechanismsOf(machines: readonly Machine[], options: {floors: boolean}): string[] {
  const ids: string[] = []
  for (const {report} of machines) {
    for (const row of [...(report.bench ?? []), ...(report.crash ?? [])]) {
      if (!options.floors && row.family === 'floor') continue
      if (!ids.includes(row.mechanism)) ids.push(row.mechanism)
    }
  }
  return ids
}

export function benchRow(machine: Machine, mechanism: string): BenchRow | undefined {
  return machine.report.bench?.find((row) => row.mechanism === mechanism)
}

export function crashRows(machine: Machine, mechanism: string): CrashRow[] {
  return (machine.report.crash ?? []).filter((row) => row.mechanism === mechanism)
}

type Measured<T> = Extract<T, {status: 'ok'}>

// The results that ran (status ok) on this machine: the variant that has the figures.
const okRows = <T extends {status: string}>(rows: readonly T[] | undefined) => (Array.isArray(rows) ? rows.filter((row): row is Measured<T> => row.status === 'ok') : [])

/** Crash cells whose probe itself ran (a skipped or failed probe is no evidence either way). */
export const probedCells = (rows: readonly CrashRow[]): CrashRowProbed[] => okRows(rows)

/** A hot reload that ran. */
export type MeasuredHotReload = HotReloadRowOk

export const hotReloadResults = (machine: Machine): HotReloadRowOk[] => okRows(machine.report.hotReload)

/** Orphan probes that ran. */
export const orphanResults = (machine: Machine): OrphanRowOk[] => okRows(machine.report.orphans)

export const versionResults = (machine: Machine): Measured<VersionRow>[] => okRows(machine.report.versions)
export const loggingResults = (machine: Machine): Measured<LoggingRow>[] => okRows(machine.report.logging)
export const terminalResults = (machine: Machine): Measured<TerminalRow>[] => okRows(machine.report.terminals)
