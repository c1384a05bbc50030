// Reads the saved `--json` output of bench, crash-test or report (`--from FILE`), with errors that say what to do.
import {readFileSync} from 'node:fs'
import type {LabelledReport} from './merge.js'
import {SCHEMA_VERSION, type SurveyReport} from '../results/types.js'
import {fromVersion2} from './v2.js'

export type ReportFileErrorCode = 'REPORT_FILE_MISSING' | 'REPORT_FILE_INVALID' | 'REPORT_SCHEMA_VERSION'

export class ReportFileError extends Error {
  constructor(readonly code: ReportFileErrorCode, readonly file: string, message: string) {
    super(message)
    this.name = 'ReportFileError'
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

function checkReport(value: unknown, file: string, where: string): SurveyReport {
  const invalid = (what: string) =>
    new ReportFileError('REPORT_FILE_INVALID', file, `${file}${where}: ${what}. Give a file written by \`plugin-survey bench --json\`, \`crash-test --json\`, \`scale --json\` or \`report --json\`.`)
  if (!isObject(value)) throw invalid('not a JSON object')
  if (value.schemaVersion === 2) value = fromVersion2(value)
  if (!isObject(value)) throw invalid('not a JSON object')
  if (value.schemaVersion !== SCHEMA_VERSION) {
    if (value.schemaVersion === undefined) throw invalid('no schemaVersion')
    throw new ReportFileError(
      'REPORT_SCHEMA_VERSION',
      file,
      `${file}${where}: schemaVersion ${JSON.stringify(value.schemaVersion)}, but this plugin-survey reads schemaVersion ${SCHEMA_VERSION} (and 2, which it converts). Re-run the measurement with this version of plugin-survey.`,
    )
  }
  const host = value.host
  if (!isObject(host) || typeof host.os !== 'string' || typeof host.arch !== 'string') throw invalid('no host {os, arch}')
  for (const section of ['bench', 'crash', 'scale'] as const) {
    const rows = value[section]
    if (rows === undefined) continue
    if (!Array.isArray(rows) || !rows.every((row) => isObject(row) && typeof row.mechanism === 'string')) throw invalid(`"${section}" is not a list of rows with a mechanism`)
  }
  return value as SurveyReport
}

// A `report --json` document carries the claims judged when it was written (and the author lines they used):
// they are judged again from the merged data, so an old verdict never rides along inside a machine.
function measured(report: SurveyReport): SurveyReport {
  const {claims: _judgedBefore, authoring: _countedBefore, ...rest} = report
  return rest as SurveyReport
}

/** A report, or the machines of a merged `report --json` document, from the text of one file. */
export function parseReportText(text: string, file: string): LabelledReport[] {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new ReportFileError('REPORT_FILE_INVALID', file, `${file} is not JSON (${(error as Error).message}). Save a report with \`plugin-survey report --json > FILE\` or \`bench --json > FILE\`.`)
  }
  const report = checkReport(value, file, '')
  if (Array.isArray(report.machines)) return report.machines.map((machine, index) => ({report: measured(checkReport(machine, file, ` (machine ${index + 1})`)), source: file}))
  return [{report: measured(report), source: file}]
}

export function readReportFile(file: string): LabelledReport[] {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new ReportFileError('REPORT_FILE_MISSING', file, `cannot read ${file} (${code ?? (error as Error).message}). Give the path of a file saved with \`plugin-survey bench --json > FILE\`.`)
  }
  return parseReportText(text, file)
}
