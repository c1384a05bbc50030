// Reads a document of schemaVersion 2 as version 3 (docs/schema.md, "Version 3"): each result keeps only the
// data of its variant, demonstration rows become `finding`, and every row of bench and scale has its title.
import {findRow} from '../mechanisms/index.js'
import {SCHEMA_VERSION, type SurveyReport} from '../results/types.js'

type Loose = Record<string, unknown>

const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null && !Array.isArray(value)

function pick(row: Loose, keys: readonly string[]): Loose {
  return Object.fromEntries(keys.filter((key) => row[key] !== undefined).map((key) => [key, row[key]]))
}

const NOT_RUN = ['status', 'reason'] as const

function titled(row: Loose): Loose {
  if (typeof row.title === 'string') return row
  const {mechanism, family, ...rest} = row
  return {mechanism, family, title: findRow(String(mechanism))?.title ?? String(mechanism), ...rest}
}

function benchRow(row: Loose): Loose {
  const identity = pick(titled(row), ['mechanism', 'family', 'title', 'floor'])
  if (row.status === 'ok' && (row.finding !== undefined || row.targets !== undefined || row.rebuilds !== undefined)) {
    return {...identity, status: 'finding', finding: String(row.finding ?? ''), ...pick(row, ['targets', 'rebuilds', 'buildMs', 'buildCached', 'notes'])}
  }
  if (row.status === 'skipped') return {...identity, ...pick(row, NOT_RUN)}
  if (row.status === 'failed') return {...identity, ...pick(row, [...NOT_RUN, 'errorCode'])}
  const {finding: _finding, targets: _targets, rebuilds: _rebuilds, ...rest} = titled(row)
  return rest
}

function crashRow(row: Loose): Loose {
  const cell = pick(row, ['mechanism', 'family', 'fault'])
  if (row.status === 'skipped' || row.status === 'failed') return {...cell, ...pick(row, NOT_RUN)}
  const expected = isObject(row.expected) ? row.expected : {}
  const declared = findRow(String(row.mechanism)) as {faults?: Record<string, {errorCodes: readonly string[]}>} | undefined
  const errorCodes = Array.isArray(expected.errorCodes) ? (expected.errorCodes as string[]) : [...(declared?.faults?.[String(row.fault)]?.errorCodes ?? [])]
  const {status: _status, reason: _reason, ...measured} = row
  return {
    ...cell,
    status: 'ok',
    ...measured,
    expected: {...expected, errorCodes},
    // Version 2 left it out where the codes were not checked, and its readers showed no ⚠ there.
    codeAsExpected: row.codeAsExpected !== false,
  }
}

function hotReloadRow(row: Loose): Loose {
  return row.status === 'ok' ? row : {...pick(row, ['mechanism', 'family']), ...pick(row, NOT_RUN)}
}

function orphanRow(row: Loose): Loose {
  if (row.status !== 'ok') return {...pick(row, ['mechanism', 'family', 'parentWatch']), ...pick(row, NOT_RUN)}
  return row
}

const rows = (value: unknown, convert: (row: Loose) => Loose) => (Array.isArray(value) ? value.map((row) => (isObject(row) ? convert(row) : row)) : value)

/** A document of schemaVersion 2 (a run, or a merged report whose machines are runs) as version 3. */
export function fromVersion2(document: Loose): SurveyReport {
  const converted: Loose = {...document, schemaVersion: SCHEMA_VERSION}
  for (const [section, convert] of [
    ['bench', benchRow],
    ['crash', crashRow],
    ['hotReload', hotReloadRow],
    ['orphans', orphanRow],
    ['scale', titled],
  ] as const) {
    if (document[section] !== undefined) converted[section] = rows(document[section], convert)
  }
  if (Array.isArray(document.machines)) converted.machines = document.machines.map((machine) => (isObject(machine) && machine.schemaVersion === 2 ? fromVersion2(machine) : machine))
  return converted as SurveyReport
}
