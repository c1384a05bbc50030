// The survey's claims of HashiCorp go-plugin, judged on go-plugin's own Go host and plugin (go-hashicorp, and
// the crash-test probes run with them); the TypeScript rows speaking go-plugin's protocol only add evidence.
import {STDIO_FAULT} from '../../sample/faults.js'
import {benchRow, hotReloadResults, loggingResults, terminalResults, versionResults, type Machine} from '../merge.js'
import {platformOf} from '../platforms.js'
import {ratioOf} from '../ratios.js'
import type {CrashRowProbed, StreamTerminals, VersionCase} from '../../results/types.js'
import {mechanisms} from '../../mechanisms/index.js'
import {faultEnd, finding, machineOf, okBench, probedCells, subjectRows} from './judge.js'
import {notTried, RUNTIME_FAULTS} from './stdlib.js'
import type {Claim, ClaimInput, Finding, Verdict} from './types.js'

const GO_PLUGIN_ROWS = subjectRows('go-plugin')
const GO_PLUGIN = GO_PLUGIN_ROWS.subject
const byId = (id: string) => mechanisms.find((row) => row.id === id)
/** The other rows that speak go-plugin's protocol (its net/rpc, the TypeScript host or plugin): evidence beside go-plugin's own gRPC pair, never instead of it. */
const PROTOCOL_COUNTERPARTS = GO_PLUGIN_ROWS.counterparts.filter((id) => byId(id)?.runs.protocol === 'go-plugin')
/** A host in one language with a plugin in another, over go-plugin's protocol: go-plugin itself on one side. */
const CROSS_LANGUAGE = mechanisms.filter((row) => row.runs.protocol === 'go-plugin' && row.runs.host !== row.runs.plugin).map((row) => row.id)
const STDLIB = subjectRows('go-stdlib-plugin')
const COMPILED_IN = subjectRows('compiled-in').subject
// The pair of TypeScript rows standing in for go-plugin and the stdlib plugin, both sides in TypeScript.
const allTypescript = (id: string) => byId(id)?.runs.host === 'typescript' && byId(id)?.runs.plugin === 'typescript'
const TS_PAIR = [PROTOCOL_COUNTERPARTS.find(allTypescript), STDLIB.counterparts.find(allTypescript)] as const

/** go-plugin's plugin author writes at most this factor of the lines of a compiled-in plugin (a plain Go interface). */
export const NATURAL_MAX_RATIO = 2
/** An RPC row counts as slower than an in-process call from this factor on. */
export const SLOWER_MIN_RATIO = 2
/** Cross-platform needs go-plugin to have run on at least this many operating systems. */
export const CROSS_PLATFORM_MIN_OS = 2

export const feelsNatural: Claim<'feels-natural'> = {
  id: 'feels-natural',
  subject: GO_PLUGIN,
  judge({authoring}) {
    const goPlugin = authoring.find((c) => c.mechanism === GO_PLUGIN)
    const baseline = authoring.find((c) => c.mechanism === COMPILED_IN)
    if (!goPlugin || !baseline || baseline.pluginLines === 0) return {findings: [], missing: {needs: 'go'}}
    const ratio = goPlugin.pluginLines / baseline.pluginLines
    const data = {pluginLines: goPlugin.pluginLines, baseline: baseline.mechanism, baselineLines: baseline.pluginLines, ratio, maxRatio: NATURAL_MAX_RATIO}
    return {findings: [finding<'feels-natural'>(GO_PLUGIN, true, ratio <= NATURAL_MAX_RATIO ? 'confirmed' : 'refuted', data)]}
  },
}

/** Whether go-plugin ran on a machine (a bench row or crash cells), failed there, or was not tried. */
function goPluginOn(machine: Machine): 'ran' | {failed: string} | undefined {
  const row = benchRow(machine, GO_PLUGIN)
  if (row?.status === 'ok' || probedCells(machine, GO_PLUGIN).length > 0) return 'ran'
  return row?.status === 'failed' ? {failed: row.reason} : undefined
}

export const crossPlatform: Claim<'cross-platform'> = {
  id: 'cross-platform',
  subject: GO_PLUGIN,
  judge(input) {
    const ranOn = new Set<string>()
    const failedOn: {os: string; reason: string}[] = []
    for (const machine of input.machines) {
      const os = platformOf(machine.report.host.os) ?? machine.report.host.os
      const outcome = goPluginOn(machine)
      if (outcome === 'ran') ranOn.add(os)
      else if (outcome) failedOn.push({os, reason: outcome.failed})
    }
    if (ranOn.size === 0 && failedOn.length === 0) return {findings: [], missing: {needs: 'bench'}}
    const verdict: Verdict = failedOn.length > 0 ? 'refuted' : ranOn.size >= CROSS_PLATFORM_MIN_OS ? 'confirmed' : 'not measurable'
    return {findings: [finding<'cross-platform'>(GO_PLUGIN, true, verdict, {ranOn: [...ranOn], failedOn, minOs: CROSS_PLATFORM_MIN_OS})], missing: {needs: 'other-os'}}
  },
}

export const crossLanguage: Claim<'cross-language'> = {
  id: 'cross-language',
  subject: GO_PLUGIN,
  judge(input) {
    // Each of these has go-plugin itself on one side: its Go plugin under the TypeScript host, its Go host over the TypeScript plugin.
    const findings = input.machines.flatMap((machine) =>
      CROSS_LANGUAGE.flatMap((mechanism) => {
        const row = benchRow(machine, mechanism)
        if (row === undefined || row.status === 'skipped' || row.status === 'finding') return []
        const data = row.status === 'ok' ? {status: 'ok' as const, ...(row.call ? {p50Ns: row.call.p50Ns} : {})} : {status: 'failed' as const, reason: row.reason}
        return [finding<'cross-language'>(mechanism, true, row.status === 'ok' ? 'confirmed' : 'refuted', data, machineOf(input, machine))]
      }),
    )
    return {findings, missing: {needs: 'bench'}}
  },
}

export const loggingPreserved: Claim<'logging-preserved'> = {
  id: 'logging-preserved',
  subject: GO_PLUGIN,
  judge(input) {
    const findings = input.machines.flatMap((machine) =>
      loggingResults(machine).map((row) => {
        const expectedModule = `${row.hostLogger}.${row.pluginName}`
        const kept = row.found && row.level === 'warn' && row.module === expectedModule
        const data = {found: row.found, ...(row.level ? {level: row.level} : {}), ...(row.module ? {module: row.module} : {}), expectedLevel: 'warn', expectedModule}
        return finding<'logging-preserved'>(row.mechanism, row.mechanism === GO_PLUGIN, kept ? 'confirmed' : 'refuted', data, machineOf(input, machine))
      }),
    )
    return {findings, missing: {needs: 'crash-test-features'}}
  },
}

function stdioFinding(input: ClaimInput, machine: Machine, row: CrashRowProbed): Finding<'stdio-preserved'> {
  const {stdoutLines = 0, stderrLines = 0, sent} = row.stdio ?? {}
  const answered = row.hostSurvived && row.recovered && row.errorCode === undefined
  const exact = sent !== undefined && stdoutLines === sent && stderrLines === sent
  const lost = stdoutLines === 0 || stderrLines === 0 || (sent !== undefined && !exact)
  const verdict: Verdict = !answered || lost ? 'refuted' : exact ? 'confirmed' : 'not measurable'
  const data = {...(sent !== undefined ? {sent} : {}), stdoutLines, stderrLines, answered, ...(row.errorCode ? {errorCode: row.errorCode} : {})}
  return finding<'stdio-preserved'>(row.mechanism, row.mechanism === GO_PLUGIN, verdict, data, machineOf(input, machine))
}

export const stdioPreserved: Claim<'stdio-preserved'> = {
  id: 'stdio-preserved',
  subject: GO_PLUGIN,
  judge(input) {
    const findings = input.machines.flatMap((machine) =>
      [GO_PLUGIN, ...PROTOCOL_COUNTERPARTS].flatMap((mechanism) => {
        const row = probedCells(machine, mechanism).find((r) => r.fault === STDIO_FAULT.id)
        return row ? [stdioFinding(input, machine, row)] : []
      }),
    )
    return {findings, missing: {needs: 'crash-test'}}
  },
}

const allTerminals = (streams: StreamTerminals) => streams.stdin && streams.stdout && streams.stderr

export const ttysPreserved: Claim<'ttys-preserved'> = {
  id: 'ttys-preserved',
  subject: GO_PLUGIN,
  judge(input) {
    const findings = input.machines.flatMap((machine) =>
      terminalResults(machine).map((row) => {
        // Only a host that has a terminal on all three can pass one on.
        const verdict: Verdict = !allTerminals(row.host) ? 'not measurable' : allTerminals(row.plugin) ? 'confirmed' : 'refuted'
        return finding<'ttys-preserved'>(row.mechanism, row.mechanism === GO_PLUGIN, verdict, {pty: row.pty, host: row.host, plugin: row.plugin}, machineOf(input, machine))
      }),
    )
    return {findings, missing: {needs: 'pty'}}
  },
}

/** Negotiated as go-plugin documents: [1] → 1, [1, 2] → 2 (the answer says so too), [3] refused. */
export function negotiatedAsDocumented(offered: readonly number[], cases: readonly VersionCase[]): boolean {
  if (cases.length === 0) return false
  return cases.every((c) => {
    const common = c.serves.filter((v) => offered.includes(v))
    if (common.length === 0) return c.negotiated === undefined && c.servedBy === undefined && /incompatible API version/i.test(c.error?.message ?? '')
    const highest = Math.max(...common)
    return c.error === undefined && c.negotiated === highest && c.servedBy?.appVersion === highest
  })
}

export const versioned: Claim<'versioned'> = {
  id: 'versioned',
  subject: GO_PLUGIN,
  judge(input) {
    const findings = input.machines.flatMap((machine) =>
      versionResults(machine).map((row) =>
        finding<'versioned'>(row.mechanism, row.host === 'go-plugin', negotiatedAsDocumented(row.offered, row.cases) ? 'confirmed' : 'refuted', {host: row.host, offered: row.offered, cases: row.cases}, machineOf(input, machine)),
      ),
    )
    return {findings, missing: {needs: 'crash-test-features'}}
  },
}

export const cannotCrashHost: Claim<'cannot-crash-host'> = {
  id: 'cannot-crash-host',
  subject: GO_PLUGIN,
  judge(input) {
    const findings = input.machines.flatMap((machine) =>
      [GO_PLUGIN, ...PROTOCOL_COUNTERPARTS].flatMap((mechanism) => {
        const ends = probedCells(machine, mechanism)
          .filter((row) => (RUNTIME_FAULTS as readonly string[]).includes(row.fault))
          .map(faultEnd)
        if (ends.length === 0) return []
        const missing = notTried(ends.map((end) => end.fault))
        // One death refutes; surviving proves something only over the whole runtime fault set.
        const verdict: Verdict = ends.some((end) => !end.hostSurvived) ? 'refuted' : missing.length === 0 ? 'confirmed' : 'not measurable'
        return [finding<'cannot-crash-host'>(mechanism, mechanism === GO_PLUGIN, verdict, {ends, notTried: missing}, machineOf(input, machine))]
      }),
    )
    const tried = findings.filter((f) => f.subject).flatMap((f) => f.data.ends.map((end) => end.fault))
    return {findings, missing: tried.length === 0 ? {needs: 'crash-test'} : {needs: 'runtime-faults', notTried: notTried(tried)}}
  },
}

export const hotReload: Claim<'hot-reload'> = {
  id: 'hot-reload',
  subject: GO_PLUGIN,
  judge(input) {
    const findings = input.machines.flatMap((machine) =>
      hotReloadResults(machine)
        .filter((row) => GO_PLUGIN_ROWS.all.includes(row.mechanism))
        .map((row) => {
          const {countedBy = 'generation', answeredByOld = 0, answeredByNew = 0} = row
          const verdict: Verdict = row.failedCalls > 0 || answeredByNew === 0 ? 'refuted' : answeredByOld > 0 ? 'confirmed' : 'not measurable'
          const data = {calls: row.calls, answeredByOld, answeredByNew, failedCalls: row.failedCalls, countedBy, reloadMs: row.reloadMs, ...(row.killOldMs !== undefined ? {killOldMs: row.killOldMs} : {})}
          // Only go-plugin's own host swapping builds that say which answered is the subject.
          return finding<'hot-reload'>(row.mechanism, row.mechanism === GO_PLUGIN && countedBy === 'answer', verdict, data, machineOf(input, machine))
        }),
    )
    return {findings, missing: {needs: 'hot-reload'}}
  },
}

export const slowerThanLibrary: Claim<'slower-than-library'> = {
  id: 'slower-than-library',
  subject: GO_PLUGIN,
  judge(input) {
    const pairs = [[GO_PLUGIN, STDLIB.subject], [GO_PLUGIN, COMPILED_IN], ...(TS_PAIR[0] && TS_PAIR[1] ? [[TS_PAIR[0], TS_PAIR[1]]] : [])] as const
    const findings = input.machines.flatMap((machine) => {
      const judged = pairs.flatMap(([rpc, library]) => {
        const row = okBench(machine, rpc)
        const slow = row?.call
        const fast = okBench(machine, library)?.call
        if (!row || !slow || !fast) return []
        // The ratio of rounds paired in the same run when there is one, else the ratio of the two p50s.
        const paired = ratioOf(row, 'call', library)
        const factor = paired?.median ?? slow.p50Ns / fast.p50Ns
        const data = {library, p50Ns: slow.p50Ns, libraryP50Ns: fast.p50Ns, factor, paired: paired !== undefined, minFactor: SLOWER_MIN_RATIO}
        return [finding<'slower-than-library'>(rpc, rpc === GO_PLUGIN, factor >= SLOWER_MIN_RATIO ? 'confirmed' : 'refuted', data, machineOf(input, machine))]
      })
      // Against the dynamic library when there is one: go-compiled-in stands in only where no stdlib plugin ran.
      const stdlib = judged.some((f) => f.data.library === STDLIB.subject)
      return judged.filter((f) => !(stdlib && f.data.library === COMPILED_IN))
    })
    return {findings, missing: {needs: 'bench'}}
  },
}
