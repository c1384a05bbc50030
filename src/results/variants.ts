// The one place results are built: one constructor per variant of every result, each starting from the row's
// identity (identity.ts). Measuring code calls these; nothing else writes a result's `status`.
import {errorFields} from '../sample/contract.js'
import {cellOf, identityOf, refOf, type CellRef, type Described, type RowIdentity, type RowRef} from './identity.js'
import type {
  BenchRowFailed,
  BenchRowFinding,
  BenchRowOk,
  BenchRowSkipped,
  CrashExpectation,
  CrashRowFailed,
  CrashRowProbed,
  CrashRowSkipped,
  Finding,
  HotReloadRowOk,
  NotRun,
  OrphanRef,
  OrphanRowOk,
} from './types.js'

export {cellOf, identityOf, refOf}

const withNotes = (notes: readonly string[] | undefined) => (notes && notes.length > 0 ? {notes: [...notes]} : {})

/** A result of a row that cannot run on this machine, with a reason a person can act on (hot reload, orphans). */
export const skipped = <R extends RowRef>(ref: R, reason: string): NotRun<R> => ({...ref, status: 'skipped', reason})

/** A result whose probe could not run (hot reload, orphans). */
export const failed = <R extends RowRef>(ref: R, reason: string): NotRun<R> => ({...ref, status: 'failed', reason})

/** What bench measured of a row: a measured row without its identity. */
export type BenchFigures = Omit<BenchRowOk, keyof RowIdentity | 'status'>

export const benchOk = (row: Described, figures: BenchFigures): BenchRowOk => {
  const {notes, ...measured} = figures
  return {...identityOf(row), status: 'ok', ...measured, ...withNotes(notes)}
}

export const benchFinding = (row: Described, found: Finding): BenchRowFinding => ({...identityOf(row), status: 'finding', ...found})

export const benchSkipped = (row: Described, reason: string): BenchRowSkipped => ({...identityOf(row), status: 'skipped', reason})

export const benchFailed = (row: Described, reason: string, errorCode?: string): BenchRowFailed => ({
  ...identityOf(row),
  status: 'failed',
  reason,
  ...(errorCode === undefined ? {} : {errorCode}),
})

/** A bench row that failed with this error: its message the reason, its code the row's. */
export function benchFailedWith(row: Described, error: unknown): BenchRowFailed {
  const {code, message} = errorFields(error)
  return benchFailed(row, message, code)
}

/** What a probe measured of a host under a fault, before it is compared with the row's expectation. */
export type CellOutcome = Omit<CrashRowProbed, keyof CellRef | 'status' | 'expected' | 'asExpected' | 'codeAsExpected'>

/** Whether a cell's error code is one its expectation accepts: none at all where it lists none. */
export function codeAccepted(codes: readonly string[], errorCode: string | undefined): boolean {
  return codes.length === 0 ? errorCode === undefined : errorCode !== undefined && codes.includes(errorCode)
}

/**
 * A probed cell, compared with its expectation: as expected when the host survived and recovered as expected,
 * left no process behind, and (the stdio-lines fault) received every line the plugin wrote, no more.
 */
export function probedCell(cell: CellRef, outcome: CellOutcome, expected: CrashExpectation): CrashRowProbed {
  const {notes, ...measured} = outcome
  const linesArrived = measured.stdio?.sent === undefined || (measured.stdio.stdoutLines === measured.stdio.sent && measured.stdio.stderrLines === measured.stdio.sent)
  const asExpected = measured.hostSurvived === expected.hostSurvived && measured.recovered === expected.recovered && measured.orphans === 0 && linesArrived
  return {...cell, status: 'ok', ...measured, expected, asExpected, codeAsExpected: codeAccepted(expected.errorCodes, measured.errorCode), ...withNotes(notes)}
}

export const cellSkipped = (cell: CellRef, reason: string): CrashRowSkipped => ({...cell, status: 'skipped', reason})

export const cellFailed = (cell: CellRef, reason: string): CrashRowFailed => ({...cell, status: 'failed', reason})

export function reloadMeasured(ref: RowRef, figures: Omit<HotReloadRowOk, keyof RowRef | 'status'>): HotReloadRowOk {
  const {notes, ...measured} = figures
  return {...ref, status: 'ok', ...measured, ...withNotes(notes)}
}

export function orphansCounted(ref: OrphanRef, figures: Omit<OrphanRowOk, keyof OrphanRef | 'status'>): OrphanRowOk {
  const {notes, ...measured} = figures
  return {...ref, status: 'ok', ...measured, ...withNotes(notes)}
}
