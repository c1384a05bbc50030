// The one place results are built: a row's identity, and one constructor per variant of every result.
import {errorFields} from '../sample/contract.js'
import type {
  BenchRowFailed,
  BenchRowFinding,
  BenchRowOk,
  CellRef,
  CrashExpectation,
  CrashRowFailed,
  CrashRowProbed,
  Family,
  Finding,
  HotReloadRowOk,
  OrphanRowOk,
  RowIdentity,
  RowRef,
} from './types.js'

/** What a result needs to know of its row. */
export interface Described {
  readonly id: string
  readonly family: Family
  readonly title: string
}

/** The identity of a row's bench result. */
export function identityOf(row: Described): RowIdentity {
  return {mechanism: row.id, family: row.family, title: row.title}
}

/** The identity of a row's crash-test results. */
export function refOf(row: Described): RowRef {
  return {mechanism: row.id, family: row.family}
}

/** A cell of crash-test: a row under one fault. */
export function cellOf(row: Described, fault: string): CellRef {
  return {...refOf(row), fault}
}

/** A row that cannot run on this machine, with a reason a person can act on; any result kind. */
export function skipped<R extends RowRef>(ref: R, reason: string): R & {status: 'skipped'; reason: string} {
  return {...ref, status: 'skipped', reason}
}

/** A result whose measurement or probe could not run; any result kind but bench (benchFailed carries a code). */
export function failed<R extends RowRef>(ref: R, reason: string): R & {status: 'failed'; reason: string} {
  return {...ref, status: 'failed', reason}
}

/** An error thrown while a result was being measured, as the reason of a failed one: its code first. */
export function failureReason(error: unknown): string {
  const {code, message} = errorFields(error)
  return code === undefined ? message : `${code}: ${message}`
}

export type BenchFigures = Omit<BenchRowOk, keyof RowIdentity | 'status'>

export function benchOk(identity: RowIdentity, figures: BenchFigures): BenchRowOk {
  return {...identity, status: 'ok', ...figures}
}

export function benchFinding(identity: RowIdentity, found: Finding): BenchRowFinding {
  return {...identity, status: 'finding', ...found}
}

export function benchFailed(identity: RowIdentity, reason: string, errorCode?: string): BenchRowFailed {
  return {...identity, status: 'failed', reason, ...(errorCode === undefined ? {} : {errorCode})}
}

/** A bench row that failed with this error: its message the reason, its code the row's. */
export function benchFailedWith(identity: RowIdentity, error: unknown): BenchRowFailed {
  const {code, message} = errorFields(error)
  return benchFailed(identity, message, code)
}

/** What a probe measured of a host under a fault. */
export type CellOutcome = Omit<CrashRowProbed, keyof CellRef | 'status' | 'expected' | 'asExpected'>

/** Whether the error a host reported is one its documented expectation allows (none documented: not checked). */
function codeAsDocumented(errorCode: string | undefined, expected: CrashExpectation): boolean {
  if (expected.errorCodes === undefined) return true
  return errorCode === undefined ? expected.errorCodes.length === 0 : expected.errorCodes.includes(errorCode)
}

/**
 * A probed cell, compared with its expectation: as documented when the host survived and recovered as expected,
 * reported one of the expected error codes (none, where it is expected to notice nothing), and left no process.
 */
export function probedCell(cell: CellRef, outcome: CellOutcome, expected: CrashExpectation): CrashRowProbed {
  const asExpected =
    outcome.hostSurvived === expected.hostSurvived && outcome.recovered === expected.recovered && outcome.orphans === 0 && codeAsDocumented(outcome.errorCode, expected)
  const {notes, ...measured} = outcome
  return {...cell, status: 'ok', ...measured, expected, asExpected, ...(notes?.length ? {notes} : {})}
}

export function failedCell(cell: CellRef, reason: string, notes: string[] = []): CrashRowFailed {
  return {...failed(cell, reason), ...(notes.length > 0 ? {notes} : {})}
}

export function reloadMeasured(ref: RowRef, figures: Omit<HotReloadRowOk, keyof RowRef | 'status'>): HotReloadRowOk {
  const {notes, ...measured} = figures
  return {...ref, status: 'ok', ...measured, ...(notes?.length ? {notes} : {})}
}

export function orphansCounted(ref: RowRef, figures: Omit<OrphanRowOk, keyof RowRef | 'status'>): OrphanRowOk {
  const {notes, ...measured} = figures
  return {...ref, status: 'ok', ...measured, ...(notes?.length ? {notes} : {})}
}
