// Where each row stands against the survey's three mechanisms on one machine: speed (the paired ratio of its
// calls to each subject's where the two were measured in alternating rounds, else its call p50 over the
// subject's, measured in the same run), isolation (where its plugin runs; the cells say what its host lived
// through) and reload (whether the row can, and what the hot reload probe measured). Numbers and ids only.
import {mechanisms} from '../mechanisms/index.js'
import {isCrashProbeable, isDemonstration, type Placement, type Row, type SurveySubject} from '../mechanisms/row.js'
import type {PairedRatio} from '../results/figures.js'
import {benchRow, crashRows, hotReloadResults, type Machine, type MeasuredHotReload} from './merge.js'
import {ratioOf} from './ratios.js'

export const SURVEY_SUBJECTS: readonly SurveySubject[] = ['go-stdlib-plugin', 'go-plugin', 'compiled-in']

export interface SubjectRow {
  subject: SurveySubject
  /** The row that is the subject itself. */
  mechanism: string
}

/**
 * A row's calls over a subject's: `paired` where the two took turns in rounds of the run (the paired ratio, with
 * its interval and whether it is flagged; inverted when the subject's row holds it), else the ratio of the p50s.
 */
export type SpeedVs =
  | {paired: true; median: number; low: number; high: number; confidence: number; flagged: boolean}
  | {paired: false; median: number}

export interface RowPlacement {
  mechanism: string
  /** The survey subject this row is, for the rows the others are placed against. */
  subject?: SurveySubject
  where: Placement
  callP50Ns?: number
  /** This row's calls against each subject's, where both were measured on this machine. */
  speedVs: Partial<Record<SurveySubject, SpeedVs>>
  /** `possible: false`: the row declares it cannot reload; `measured`: the hot reload probe's row. */
  reload: {possible: boolean; measured?: MeasuredHotReload}
}

export interface PlacementTable {
  subjects: SubjectRow[]
  /** The subjects first, then every other row with data on this machine, in registry order. */
  rows: RowPlacement[]
}

/** The row that is each survey subject (the registry check wants exactly one each). */
export function subjectRows(rows: readonly Row[] = mechanisms): SubjectRow[] {
  return SURVEY_SUBJECTS.flatMap((subject) => {
    const own = rows.find((row) => row.survey?.some((s) => s.subject === subject && s.role === 'subject'))
    return own ? [{subject, mechanism: own.id}] : []
  })
}

function callP50(machine: Machine, mechanism: string): number | undefined {
  const row = benchRow(machine, mechanism)
  return row?.status === 'ok' ? row.call?.p50Ns : undefined
}

function callRatio(machine: Machine, mechanism: string, against: string): PairedRatio | undefined {
  const row = benchRow(machine, mechanism)
  return row?.status === 'ok' ? ratioOf(row, 'call', against) : undefined
}

function pairedVs(machine: Machine, mechanism: string, subject: string): SpeedVs | undefined {
  const own = callRatio(machine, mechanism, subject)
  if (own) return {paired: true, median: own.median, low: own.low, high: own.high, confidence: own.confidence, flagged: own.flags.length > 0}
  const theirs = callRatio(machine, subject, mechanism)
  if (!theirs) return undefined
  return {paired: true, median: 1 / theirs.median, low: 1 / theirs.high, high: 1 / theirs.low, confidence: theirs.confidence, flagged: theirs.flags.length > 0}
}

const hasData = (machine: Machine, mechanism: string) => benchRow(machine, mechanism) !== undefined || crashRows(machine, mechanism).length > 0

export function placementTable(machine: Machine, rows: readonly Row[] = mechanisms): PlacementTable {
  const subjects = subjectRows(rows)
  const subjectOf = (id: string) => subjects.find((s) => s.mechanism === id)?.subject
  const reloads = hotReloadResults(machine)
  const place = (row: Row): RowPlacement => {
    const own = callP50(machine, row.id)
    const speedVs: RowPlacement['speedVs'] = {}
    for (const {subject, mechanism} of subjects) {
      const theirs = callP50(machine, mechanism)
      const paired = mechanism === row.id ? undefined : pairedVs(machine, row.id, mechanism)
      if (paired) speedVs[subject] = paired
      else if (own !== undefined && theirs !== undefined && theirs > 0) speedVs[subject] = {paired: false, median: own / theirs}
    }
    const subject = subjectOf(row.id)
    const measured = reloads.find((r) => r.mechanism === row.id)
    return {
      mechanism: row.id,
      ...(subject ? {subject} : {}),
      where: row.runs.where,
      ...(own !== undefined ? {callP50Ns: own} : {}),
      speedVs,
      reload: {possible: isCrashProbeable(row) && row.reload.possible, ...(measured ? {measured} : {})},
    }
  }
  const own = subjects.map(({mechanism}) => rows.find((row) => row.id === mechanism)!)
  const others = rows.filter((row) => subjectOf(row.id) === undefined && !isDemonstration(row) && hasData(machine, row.id))
  return {subjects, rows: [...own, ...others].map(place)}
}
