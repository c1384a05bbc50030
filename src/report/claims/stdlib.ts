// The survey's claims of Go's standard-library plugin package, judged on go-stdlib-plugin (and on what the
// toolchain and go-coupling show of it); the Node rows in-process and compiled-in only add evidence.
import {COUPLING_ERROR} from '../../mechanisms/go-coupling.js'
import {toolchainRefusal} from '../../mechanisms/go-stdlib-plugin.js'
import {benchRow, type Machine} from '../merge.js'
import {platformOf} from '../platforms.js'
import {ratioOf} from '../ratios.js'
import type {BenchRowOk} from '../../results/types.js'
import {faultEnd, finding, foundBench, machineOf, okBench, probedCells, subjectRows} from './judge.js'
import type {Claim, ClaimInput, Finding, Missing, Verdict} from './types.js'

/** A plugin call counts as "just calling functions" within this factor of a plain call. */
export const CALL_LIKE_MAX_RATIO = 10

/** The faults a running plugin can do to its host: the set "can crash" and "cannot crash" are judged on. */
export const RUNTIME_FAULTS = ['throw', 'reject', 'exit', 'segfault', 'hang', 'never', 'oom'] as const

/** The platforms "Linux, FreeBSD and macOS only" names, as Node names them. */
const UNIX = ['linux', 'darwin', 'freebsd']

const {subject: STDLIB, all: STDLIB_ROWS} = subjectRows('go-stdlib-plugin')

export const inStdlib: Claim<'in-stdlib'> = {
  id: 'in-stdlib',
  subject: STDLIB,
  judge({authoring}) {
    const findings = authoring.map((count) => finding<'in-stdlib'>(count.mechanism, count.mechanism === STDLIB, count.thirdParty.length === 0 ? 'confirmed' : 'refuted', {thirdParty: count.thirdParty}))
    return {findings}
  },
}

export const simpleAndSparse: Claim<'simple-and-sparse'> = {
  id: 'simple-and-sparse',
  subject: STDLIB,
  judge({authoring}) {
    const stdlib = authoring.find((count) => count.mechanism === STDLIB)
    if (!stdlib) return {findings: [], missing: {needs: 'go'}}
    const total = (count: {pluginLines: number; hostLines: number}) => count.pluginLines + count.hostLines
    const fewest = authoring.every((count) => total(stdlib) <= total(count))
    return {findings: [finding<'simple-and-sparse'>(STDLIB, true, fewest ? 'confirmed' : 'refuted', {counts: [...authoring]})]}
  },
}

/** A row's p50 against a plain call: its paired ratio over its floor, or go-compiled-in's p50 for the Go plugin. */
function callRatio(machine: Machine, row: BenchRowOk): {ratio: number; against: string; againstP50Ns?: number; paired: boolean} | undefined {
  const overhead = ratioOf(row, 'call')
  if (overhead) return {ratio: overhead.median, against: overhead.against, againstP50Ns: okBench(machine, overhead.against)?.call?.p50Ns, paired: true}
  const direct = okBench(machine, 'go-compiled-in')?.call
  if (row.call && direct && row.mechanism !== 'go-compiled-in') return {ratio: row.call.p50Ns / direct.p50Ns, against: 'go-compiled-in', againstP50Ns: direct.p50Ns, paired: false}
  return undefined
}

export const highPerformance: Claim<'high-performance'> = {
  id: 'high-performance',
  subject: STDLIB,
  judge(input) {
    const findings = input.machines.flatMap((machine) =>
      STDLIB_ROWS.flatMap((mechanism) => {
        const row = okBench(machine, mechanism)
        const measured = row?.call && callRatio(machine, row)
        if (!row?.call || !measured) return []
        const verdict: Verdict = measured.ratio <= CALL_LIKE_MAX_RATIO ? 'confirmed' : 'refuted'
        const data = {p50Ns: row.call.p50Ns, batchMean: row.call.timing === 'batch-mean', ...measured, maxRatio: CALL_LIKE_MAX_RATIO}
        return [finding<'high-performance'>(mechanism, mechanism === STDLIB, verdict, data, machineOf(input, machine))]
      }),
    )
    return {findings, missing: {needs: 'bench'}}
  },
}

/** The runtime faults a row's crash cells did not try. */
export function notTried(tried: readonly string[]): string[] {
  return RUNTIME_FAULTS.filter((fault) => !tried.includes(fault))
}

/** "Can crash the host": confirmed by one death; refuted only when the host lived through the whole runtime fault set. */
function canCrash(ends: ReturnType<typeof faultEnd>[]): Verdict {
  if (ends.some((end) => !end.hostSurvived)) return 'confirmed'
  return notTried(ends.map((end) => end.fault)).length === 0 ? 'refuted' : 'not measurable'
}

export const crashesMainLoop: Claim<'crash-main-loop'> = {
  id: 'crash-main-loop',
  subject: STDLIB,
  judge(input) {
    const findings = input.machines.flatMap((machine) =>
      STDLIB_ROWS.flatMap((mechanism) => {
        const ends = probedCells(machine, mechanism)
          .filter((row) => (RUNTIME_FAULTS as readonly string[]).includes(row.fault))
          .map(faultEnd)
        return ends.length === 0 ? [] : [finding<'crash-main-loop'>(mechanism, mechanism === STDLIB, canCrash(ends), {ends}, machineOf(input, machine))]
      }),
    )
    const subjectEnds = findings.filter((f) => f.subject).flatMap((f) => f.data.ends.map((end) => end.fault))
    const missing: Missing = subjectEnds.length === 0 ? {needs: 'crash-test'} : {needs: 'runtime-faults', notTried: notTried(subjectEnds)}
    return {findings, missing}
  },
}

/** What was tried of the stdlib plugin on one machine: it ran, the toolchain refused it, or the toolchain row's targets. */
function platformAttempts(input: ClaimInput, machine: Machine): Finding<'unix-only'>[] {
  const os = platformOf(machine.report.host.os) ?? machine.report.host.os
  const label = machineOf(input, machine)
  const attempts: Finding<'unix-only'>[] = []
  const row = benchRow(machine, STDLIB)
  const ran = row?.status === 'ok' || probedCells(machine, STDLIB).length > 0
  if (ran) attempts.push(finding<'unix-only'>(STDLIB, true, UNIX.includes(os) ? 'not measurable' : 'refuted', {kind: 'ran', os}, label))
  // A skip or failure counts only where it is the toolchain's own refusal: a documented list is no attempt.
  const refusal = !ran && row !== undefined && 'reason' in row ? toolchainRefusal(row.reason) : undefined
  if (refusal) attempts.push(finding<'unix-only'>(STDLIB, true, UNIX.includes(os) ? 'refuted' : 'not measurable', {kind: 'refused', os, message: refusal}, label))
  const targets = foundBench(machine, 'go-plugin-platforms')?.targets
  if (targets?.length) {
    const byOs = (goos: string) => targets.filter((t) => t.target.startsWith(`${goos}/`))
    const taken = (outcome: string) => outcome === 'built' || outcome === 'accepted'
    const windowsRefused = byOs('windows').length > 0 && byOs('windows').every((t) => t.outcome === 'refused')
    const unixTaken = ['linux', 'darwin', 'freebsd'].every((goos) => byOs(goos).length > 0 && byOs(goos).every((t) => taken(t.outcome)))
    attempts.push(finding<'unix-only'>('go-plugin-platforms', true, windowsRefused && unixTaken ? 'confirmed' : 'refuted', {kind: 'toolchain', targets}, label))
  }
  return attempts
}

export const unixOnly: Claim<'unix-only'> = {
  id: 'unix-only',
  subject: STDLIB,
  judge(input) {
    const findings = input.machines.flatMap((machine) => platformAttempts(input, machine))
    // A run on a unix machine and a refusal on Windows confirm together what neither shows alone.
    const ranOnUnix = findings.find((f) => f.data.kind === 'ran' && f.verdict === 'not measurable')
    const refusedOnWindows = findings.find((f) => f.data.kind === 'refused' && f.data.os === 'windows')
    if (ranOnUnix && refusedOnWindows) ranOnUnix.verdict = refusedOnWindows.verdict = 'confirmed'
    return {findings, missing: {needs: 'platform-attempts'}}
  },
}

export const sameEnvironment: Claim<'same-environment'> = {
  id: 'same-environment',
  subject: STDLIB,
  judge(input) {
    const findings = input.machines.flatMap((machine) => {
      const coupling = foundBench(machine, 'go-coupling')
      if (coupling === undefined) return []
      const refused = coupling.finding.includes(COUPLING_ERROR)
      return [finding<'same-environment'>('go-coupling', true, refused ? 'confirmed' : 'refuted', {refused, message: coupling.finding.trim()}, machineOf(input, machine))]
    })
    return {findings, missing: {needs: 'go-coupling'}}
  },
}
