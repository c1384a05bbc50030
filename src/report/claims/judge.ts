// What every claim's rule uses: the rows of a machine that ran, a finding, and the verdict of a list of findings.
import {surveyRows} from '../../mechanisms/index.js'
import type {SurveySubject} from '../../mechanisms/row.js'
import {benchRow, crashRows, probedCells as probed, type Machine} from '../merge.js'
import type {BenchRowFinding, BenchRowOk, CrashRowProbed} from '../../results/types.js'
import type {Claim, ClaimData, ClaimId, ClaimInput, ClaimResult, FaultEnd, Finding, Verdict} from './types.js'

/** The rows of a survey subject, as the rows declare it (`survey`): the subject's own first, then its counterparts. */
export function subjectRows(subject: SurveySubject): {subject: string; counterparts: string[]; all: string[]} {
  const rows = surveyRows(subject)
  const own = rows.find((row) => row.survey?.some((s) => s.subject === subject && s.role === 'subject'))
  if (own === undefined) throw new Error(`no row is the survey's ${subject}: declare one with survey: [{subject: '${subject}', role: 'subject'}]`)
  const counterparts = rows.filter((row) => row !== own).map((row) => row.id)
  return {subject: own.id, counterparts, all: [own.id, ...counterparts]}
}

export function okBench(machine: Machine, mechanism: string): BenchRowOk | undefined {
  const row = benchRow(machine, mechanism)
  return row?.status === 'ok' ? row : undefined
}

/** What a demonstration row found on this machine, when it ran. */
export function foundBench(machine: Machine, mechanism: string): BenchRowFinding | undefined {
  const row = benchRow(machine, mechanism)
  return row?.status === 'finding' ? row : undefined
}

/** Crash cells whose probe itself ran (a skipped or failed probe is no evidence either way). */
export function probedCells(machine: Machine, mechanism: string): CrashRowProbed[] {
  return probed(crashRows(machine, mechanism))
}

export function faultEnd(row: CrashRowProbed): FaultEnd {
  return {
    fault: row.fault,
    hostSurvived: row.hostSurvived,
    ...(row.errorCode !== undefined ? {errorCode: row.errorCode} : {}),
    ...(row.exitCode !== undefined ? {exitCode: row.exitCode} : {}),
    ...(row.signal !== undefined ? {signal: row.signal} : {}),
  }
}

/** A machine's label, only when several machines are judged together. */
export function machineOf(input: ClaimInput, machine: Machine): string | undefined {
  return input.machines.length > 1 ? machine.label : undefined
}

export function finding<K extends ClaimId>(mechanism: string, subject: boolean, verdict: Verdict, data: ClaimData[K], machine?: string): Finding<K> {
  return {...(machine !== undefined ? {machine} : {}), mechanism, subject, verdict, data}
}

/** The subject's findings decide: any refuted refutes, else any confirmed confirms; the others never decide. */
export function verdictOf(findings: readonly Finding[]): Verdict {
  const decided = findings.filter((f) => f.subject).map((f) => f.verdict)
  if (decided.includes('refuted')) return 'refuted'
  return decided.includes('confirmed') ? 'confirmed' : 'not measurable'
}

export function evaluate<K extends ClaimId>(claim: Claim<K>, input: ClaimInput): ClaimResult {
  const {findings, missing} = claim.judge(input)
  const verdict = verdictOf(findings)
  return {id: claim.id, subject: claim.subject, verdict, findings, ...(verdict === 'not measurable' && missing ? {missing} : {})} as ClaimResult
}
