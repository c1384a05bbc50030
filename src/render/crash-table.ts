import Table from 'cli-table3'
import {probedCells} from '../report/merge.js'
import type {CrashRow, CrashRowProbed, CrashRowSkipped, HotReloadRow, LoggingRow, OrphanRow, SurveyReport, TerminalRow, VersionRow} from '../results/types.js'
import {describeOrphanPlugin, describeTerminals, describeVersionCase, expectedCodes} from './crash-words.js'
import {formatBytes, formatCount, formatMs} from './format.js'
import {palette} from './style.js'

type Colors = ReturnType<typeof palette>

/** Mechanisms per matrix table: beyond this a terminal line gets too long, so the matrix continues below. */
const COLUMNS_PER_TABLE = 5

const LEGEND =
  '✔ host survived and the next call got the exact answer   ▲ host survived, the plugin did not recover   ✖ host died or froze   ! differs from the documented expectation   ⚠ as documented but with another error code   - not applicable'

export function cellMark(row: CrashRowProbed): '✔' | '▲' | '✖' {
  if (!row.hostSurvived) return '✖'
  return row.recovered ? '✔' : '▲'
}

function outcome(row: CrashRowProbed): string {
  if (row.errorCode === 'HOST_HUNG') return 'froze'
  if (!row.hostSurvived) return `died: ${row.signal ?? `exit ${row.exitCode}`}`
  return row.errorCode ?? 'nothing noticed'
}

function cell(row: CrashRow | undefined, c: Colors): string {
  if (row === undefined || row.status === 'skipped') return c.dim('-')
  if (row.status === 'failed') return c.red('failed')
  const mark = cellMark(row)
  const paint = mark === '✔' ? c.green : mark === '▲' ? c.yellow : c.red
  const flag = !row.asExpected ? c.bold.red('! ') : !row.codeAsExpected ? c.yellow('⚠ ') : ''
  const first = `${flag}${paint(mark)} ${outcome(row)}`
  const detail = [
    row.detectMs === undefined ? undefined : formatMs(row.detectMs),
    row.stdio ? `stdio ${row.stdio.stdoutLines} out / ${row.stdio.stderrLines} err${row.stdio.sent !== undefined ? ` of ${row.stdio.sent}` : ''}` : undefined,
    row.orphans > 0 ? c.red(`${row.orphans} orphan(s)`) : undefined,
  ].filter(Boolean)
  return detail.length > 0 ? `${first}\n${c.dim(detail.join(', '))}` : first
}

function describe(state: {hostSurvived: boolean; recovered: boolean}): string {
  if (!state.hostSurvived) return 'the host dies'
  return state.recovered ? 'the host survives and recovers' : 'the host survives, the plugin does not recover'
}

function matrix(rows: readonly CrashRow[], c: Colors): string[] {
  const mechanisms = [...new Set(rows.map((r) => r.mechanism))]
  const faults = [...new Set(rows.map((r) => r.fault))]
  const tables: string[] = []
  for (let start = 0; start < mechanisms.length; start += COLUMNS_PER_TABLE) {
    const columns = mechanisms.slice(start, start + COLUMNS_PER_TABLE)
    const table = new Table({head: ['fault', ...columns].map((h) => c.bold(h)), style: {head: [], border: []}})
    for (const fault of faults) {
      const cells = columns.map((m) => rows.find((r) => r.mechanism === m && r.fault === fault))
      if (cells.every((r) => r === undefined || r.status === 'skipped')) continue
      table.push([fault, ...cells.map((r) => cell(r, c))])
    }
    tables.push(table.toString())
  }
  return tables
}

function hotReloadTable(rows: readonly HotReloadRow[], c: Colors): string {
  const table = new Table({head: ['hot reload', 'swap', 'calls', 'failed', 'old → new', 'notes'].map((h) => c.bold(h)), style: {head: [], border: []}})
  for (const row of rows) {
    if (row.status !== 'ok') {
      table.push([row.mechanism, {colSpan: 5, content: row.status === 'skipped' ? c.dim(`skipped: ${row.reason}`) : c.red(`failed: ${row.reason}`)}])
      continue
    }
    const failed = row.failedCalls
    const pids = row.oldPid !== undefined ? `pid ${row.oldPid} → ${row.newPid}${row.oldProcessExited ? ' (old exited)' : c.red(' (old still running)')}\n` : ''
    const versions = `${pids}${formatCount(row.answeredByOld)} → ${formatCount(row.answeredByNew)} calls${row.countedBy === 'answer' ? ' (by their answers)' : ''}`
    const notes = [
      ...(row.oldModuleRetained ? [`old module still in memory, ${formatBytes(row.heapGrowthPerReloadBytes)} heap per re-import`] : []),
      ...(row.errorCodes?.length ? [`errors: ${row.errorCodes.join(', ')}`] : []),
      ...(row.notes ?? []),
    ]
    table.push([row.mechanism, formatMs(row.reloadMs), formatCount(row.calls), failed === 0 ? c.green('0') : c.red(String(failed)), versions, wrap(notes.join('; '), 60)])
  }
  return table.toString()
}

function orphansTable(rows: readonly OrphanRow[], c: Colors): string {
  const table = new Table({head: ['host killed with SIGKILL', 'plugin processes', 'left behind', 'gone within', 'notes'].map((h) => c.bold(h)), style: {head: [], border: []}})
  for (const row of rows) {
    const name = row.parentWatch === undefined ? row.mechanism : `${row.mechanism}\n${c.dim(describeOrphanPlugin(row.parentWatch))}`
    if (row.status !== 'ok') {
      table.push([name, {colSpan: 4, content: row.status === 'skipped' ? c.dim(`skipped: ${row.reason}`) : c.red(`failed: ${row.reason}`)}])
      continue
    }
    const left = row.orphans === 0 ? c.green('0') : c.red(String(row.orphans))
    const notes = row.pluginProcesses === 0 ? [] : (row.notes ?? [])
    table.push([name, String(row.pluginProcesses), left, row.pluginProcesses === 0 ? c.dim('no plugin process') : formatMs(row.goneWithinMs), wrap(notes.join('; '), 60)])
  }
  return table.toString()
}

function versionsTable(rows: readonly VersionRow[], c: Colors): string {
  const table = new Table({head: ['app-version negotiation', 'offered', 'plugin serving → outcome'].map((h) => c.bold(h)), style: {head: [], border: []}})
  for (const row of rows) {
    if (row.status !== 'ok') table.push([row.mechanism, {colSpan: 2, content: row.status === 'skipped' ? c.dim(`skipped: ${row.reason}`) : c.red(`failed: ${row.reason}`)}])
    else table.push([`${row.mechanism}\n${c.dim(row.host === 'go-plugin' ? "go-plugin's Go host" : 'the TypeScript host')}`, `[${row.offered.join(', ')}]`, row.cases.map((v) => wrap(describeVersionCase(v), 70)).join('\n')])
  }
  return table.toString()
}

function unmeasured(what: string, row: {status: string; reason?: string}, c: Colors): string {
  return row.status === 'skipped' ? c.dim(`${what} skipped: ${row.reason}`) : c.red(`${what} failed: ${row.reason}`)
}

function loggingLine(row: LoggingRow, c: Colors): string {
  if (row.status !== 'ok') return unmeasured(`${row.mechanism} logging`, row, c)
  const seen = row.found ? `arrived at level ${row.level} in logger ${row.module}` : c.red('never arrived')
  return `${row.mechanism} logging: the plugin's hclog WARN line ${seen} (the plugin is ${row.pluginName})`
}

function terminalsLine(row: TerminalRow, c: Colors): string {
  if (row.status !== 'ok') return unmeasured(`${row.mechanism} terminals`, row, c)
  return `${row.mechanism} under ${row.pty}: ${describeTerminals(row)}`
}

function wrap(text: string, width: number): string {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line.length > 0 && line.length + word.length + 1 > width) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(line)
  return lines.join('\n')
}

/** crash-test's results as terminal tables: plain text unless `color`, so it reads well piped into a file. */
export function renderCrashTable(report: SurveyReport, options: {color: boolean}): string {
  const c = palette(options.color)
  const rows = report.crash ?? []
  const lines: string[] = []
  if (rows.length > 0) {
    lines.push(...matrix(rows, c), c.dim(LEGEND))
    const measured = probedCells(rows)
    const mismatches = measured.filter((r) => !r.asExpected)
    const otherCodes = measured.filter((r) => r.asExpected && !r.codeAsExpected)
    const notes = [mismatches.length > 0 ? c.bold.red(`${mismatches.length} not`) : '', otherCodes.length > 0 ? c.yellow(`${otherCodes.length} with another error code`) : ''].filter(Boolean)
    lines.push(`${measured.length - mismatches.length - otherCodes.length} of ${measured.length} cells as documented${notes.length > 0 ? `, ${notes.join(', ')}:` : '.'}`)
    for (const r of mismatches) {
      const orphans = r.orphans > 0 ? `, ${r.orphans} process(es) left behind` : ''
      lines.push(c.red(`! ${r.mechanism} × ${r.fault}: expected ${describe(r.expected)}; measured ${describe(r)}${orphans}${r.errorMessage ? ` (${r.errorMessage})` : ''}`))
    }
    for (const r of otherCodes) lines.push(c.yellow(`⚠ ${r.mechanism} × ${r.fault}: expected ${expectedCodes(r.expected.errorCodes)}; the host reported ${r.errorCode ?? 'no error'}${r.errorMessage ? ` (${r.errorMessage})` : ''}`))
    for (const r of rows) if (r.status === 'failed') lines.push(c.red(`failed to probe ${r.mechanism} × ${r.fault}: ${r.reason}`))
    const skippedMechanisms = [...new Set(rows.map((r) => r.mechanism))].filter((m) => rows.filter((r) => r.mechanism === m).every((r) => r.status === 'skipped'))
    for (const m of skippedMechanisms) {
      const skipped = rows.find((r): r is CrashRowSkipped => r.mechanism === m && r.status === 'skipped')
      lines.push(c.yellow(`${m} skipped: ${skipped?.reason}`))
    }
  }
  if (report.hotReload?.length) lines.push('', hotReloadTable(report.hotReload, c))
  if (report.orphans?.length) lines.push('', orphansTable(report.orphans, c))
  if (report.versions?.length) lines.push('', versionsTable(report.versions, c))
  for (const row of report.logging ?? []) lines.push(loggingLine(row, c))
  for (const row of report.terminals ?? []) lines.push(terminalsLine(row, c))
  return `${lines.join('\n')}\n`
}
