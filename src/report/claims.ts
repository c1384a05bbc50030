// The survey's claims, each judged by a stated rule from the data of this run. A verdict is only as good as
// its evidence: without the rows a rule needs, the claim is "not measurable here", never guessed.
import {COUPLING_ERROR} from '../mechanisms/go-coupling.js'
import {mechanisms, surveyRows} from '../mechanisms/index.js'
import {formatMs, formatNs, formatRatio} from '../render/format.js'
import {benchRow, findingRow, hotReloadResults, probedCells, type MeasuredHotReload, type Machine} from './merge.js'
import {platformOf} from './platforms.js'
import {STDIO_FAULT} from '../sample/faults.js'
import type {BenchRowFailed, BenchRowOk, CrashRowProbed} from '../results/types.js'

export type Verdict = 'confirmed' | 'refuted' | 'not measurable here'

export interface ClaimResult {
  id: string
  /** The survey's words. */
  claim: string
  /** What the survey says it of. */
  about: string
  /** How the verdict follows from the data. */
  rule: string
  verdict: Verdict
  evidence: string[]
}

interface Finding {
  verdict: Verdict
  evidence: string
}

interface Claim {
  id: string
  claim: string
  about: string
  rule: string
  judge(machines: readonly Machine[]): {verdict: Verdict; evidence: string[]}
}

/** A plugin call counts as "just calling a function" within this factor of a plain call. */
export const CALL_LIKE_MAX_RATIO = 10
/** An RPC row counts as slower than an in-process call from this factor on. */
export const SLOWER_MIN_RATIO = 2

// The rows each claim is judged on, as the rows declare them (`survey`, `runs`): the subject first, then its counterparts.
const ids = (rows: readonly {id: string}[]) => rows.map((row) => row.id)
const STDLIB_LIKE = ids(surveyRows('go-stdlib-plugin'))
const GO_PLUGIN_LIKE = ids(surveyRows('go-plugin'))
const GO_PLUGIN_PROTOCOL = ids(surveyRows('go-plugin').filter((row) => row.runs.protocol === 'go-plugin'))
const COMPILED_IN = ids(surveyRows('compiled-in'))
// A host in one language with a plugin in another, over go-plugin's protocol.
const CROSS_LANGUAGE = ids(mechanisms.filter((row) => row.runs.protocol === 'go-plugin' && row.runs.host !== row.runs.plugin))

const code = (id: string) => `\`${id}\``

function okRow(machine: Machine, mechanism: string): BenchRowOk | undefined {
  const row = benchRow(machine, mechanism)
  return row?.status === 'ok' ? row : undefined
}

/** Crash rows whose probe itself ran (a skipped or failed probe is no evidence either way). */
const probedCrashRows = probedCells

/** The first of `candidates` with probed crash rows on this machine: the survey's subject, else its counterpart. */
function crashSubject(machine: Machine, candidates: readonly string[]): {mechanism: string; rows: CrashRowProbed[]} | undefined {
  for (const mechanism of candidates) {
    const rows = probedCrashRows(machine, mechanism)
    if (rows.length > 0) return {mechanism, rows}
  }
  return undefined
}

function counterpart(mechanism: string, subject: string): string {
  return mechanism === subject ? code(mechanism) : `${code(mechanism)} (the counterpart measured here; no ${code(subject)} data)`
}

const faultList = (rows: readonly CrashRowProbed[]) => rows.map((row) => `${row.fault}${row.exitCode !== undefined ? ` (exit ${row.exitCode})` : row.signal ? ` (${row.signal})` : ''}`).join(', ')

/** Judges each machine, then combines: no data anywhere is "not measurable", any refutation refutes. */
function acrossMachines(machines: readonly Machine[], judge: (machine: Machine) => Finding | undefined, missing: string): {verdict: Verdict; evidence: string[]} {
  const findings = machines.map((machine) => ({machine, finding: judge(machine)}))
  const prefix = (machine: Machine) => (machines.length > 1 ? `${machine.label}: ` : '')
  const evidence = findings.filter(({finding}) => finding).map(({machine, finding}) => `${prefix(machine)}${finding!.evidence}`)
  const verdicts = findings.map(({finding}) => finding?.verdict).filter((v): v is Verdict => v !== undefined && v !== 'not measurable here')
  if (verdicts.length === 0) return {verdict: 'not measurable here', evidence: evidence.length > 0 ? evidence : [missing]}
  return {verdict: verdicts.includes('refuted') ? 'refuted' : 'confirmed', evidence}
}

const crashesMainLoop: Claim = {
  id: 'crash-main-loop',
  claim: 'plugins can crash the main loop',
  about: 'Go stdlib plugin',
  rule: 'confirmed when at least one fault kills the host process of `go-stdlib-plugin` (or, without Go, of its Node counterparts `in-process` / `compiled-in`); refuted when the host survives every fault tried',
  judge: (machines) =>
    acrossMachines(
      machines,
      (machine) => {
        const subject = crashSubject(machine, STDLIB_LIKE)
        if (!subject) return undefined
        const died = subject.rows.filter((row) => !row.hostSurvived)
        const who = counterpart(subject.mechanism, 'go-stdlib-plugin')
        return died.length > 0
          ? {verdict: 'confirmed', evidence: `${who}: the host died on ${died.length} of ${subject.rows.length} faults: ${faultList(died)}`}
          : {verdict: 'refuted', evidence: `${who}: the host survived all ${subject.rows.length} faults tried`}
      },
      'no crash-test rows for an in-process mechanism: run `plugin-survey crash-test`',
    ),
}

const unixOnly: Claim = {
  id: 'unix-only',
  claim: 'Linux, FreeBSD and macOS only',
  about: 'Go stdlib plugin',
  rule:
    '`go-stdlib-plugin` must run (status ok) on a Linux, macOS or FreeBSD machine and be skipped or fail on every Windows machine; refuted if it runs on Windows. ' +
    'Without a Windows machine in the merged runs, `go-plugin-platforms` asks the Go toolchain itself: confirmed when it refuses -buildmode=plugin for windows and takes it for linux, darwin and freebsd; refuted otherwise',
  judge(machines) {
    const evidence: string[] = []
    let ranOnUnix = false
    let ranOnWindows = false
    let windowsSeen = false
    for (const machine of machines) {
      const row = benchRow(machine, 'go-stdlib-plugin')
      const platform = platformOf(machine.report.host.os)
      // A Windows run without Go says nothing about the plugin package.
      if (platform === 'windows' && row && machine.report.host.go) windowsSeen = true
      if (!row) continue
      const status = row.status === 'ok' || row.status === 'finding' ? 'ran' : `${row.status}: ${row.reason}`
      evidence.push(`${machine.label}: ${status}`)
      if (row.status === 'ok' && platform === 'windows') ranOnWindows = true
      if (row.status === 'ok' && platform !== 'windows') ranOnUnix = true
    }
    if (ranOnWindows) return {verdict: 'refuted', evidence}
    if (ranOnUnix && windowsSeen) return {verdict: 'confirmed', evidence}
    const toolchain = toolchainPlatforms(machines)
    if (toolchain) return {verdict: toolchain.verdict, evidence: [...evidence, toolchain.evidence]}
    evidence.push('needs runs from a Windows machine and a Linux/macOS/FreeBSD machine with Go (merge them with `report --from`), or a `go-plugin-platforms` row')
    return {verdict: 'not measurable here', evidence}
  },
}

// The Go toolchain's own answer, from a go-plugin-platforms row: windows refused, the three others taken.
function toolchainPlatforms(machines: readonly Machine[]): Finding | undefined {
  for (const machine of machines) {
    const row = findingRow(machine, 'go-plugin-platforms')
    if (!row?.targets?.length) continue
    const taken = (t: {outcome: string}) => t.outcome === 'built' || t.outcome === 'accepted'
    const byOs = (os: string) => row.targets!.filter((t) => t.target.startsWith(`${os}/`))
    const windowsRefused = byOs('windows').length > 0 && byOs('windows').every((t) => t.outcome === 'refused')
    const othersTaken = ['linux', 'darwin', 'freebsd'].every((os) => byOs(os).length > 0 && byOs(os).every(taken))
    const evidence = `${machine.label}, ${code('go-plugin-platforms')}: ${row.finding}`
    return {verdict: windowsRefused && othersTaken ? 'confirmed' : 'refuted', evidence}
  }
  return undefined
}

const sameEnvironment: Claim = {
  id: 'same-environment',
  claim: 'plugin and host must be built in the exact same environment',
  about: 'Go stdlib plugin',
  rule: `confirmed when \`go-coupling\`'s plugin, built against a different version of a shared package than its host, is refused by plugin.Open with "${COUPLING_ERROR} ..."; refuted when such a plugin loads`,
  judge: (machines) =>
    acrossMachines(
      machines,
      (machine) => {
        const coupling = findingRow(machine, 'go-coupling')
        if (coupling !== undefined) {
          const refused = coupling.finding.includes(COUPLING_ERROR)
          return {verdict: refused ? 'confirmed' : 'refuted', evidence: `${code('go-coupling')}: ${refused ? `plugin.Open refused the skewed plugin: "${coupling.finding.trim()}"` : coupling.finding}`}
        }
        // Other rows may carry the same refusal, as a failure reason or an error the host saw.
        for (const row of [...(machine.report.bench ?? []), ...(machine.report.crash ?? [])]) {
          const message = ('reason' in row && typeof row.reason === 'string' ? row.reason : '') || ('errorMessage' in row ? row.errorMessage ?? '' : '')
          if (message.includes(COUPLING_ERROR)) return {verdict: 'confirmed', evidence: `${code(row.mechanism)}: plugin.Open refused the plugin: "${message.trim()}"`}
        }
        return undefined
      },
      'no `go-coupling` row in this run: it needs Go with cgo on Linux, macOS or FreeBSD',
    ),
}

/** A row's p50 against a plain call: its own floor ratio, or the Go compiled-in row for the Go plugin. */
function callLikeRatio(machine: Machine, row: BenchRowOk): {ratio: number; against: string} | undefined {
  if (row.overheadRatio !== undefined && row.floor) return {ratio: row.overheadRatio, against: row.floor}
  const direct = okRow(machine, 'go-compiled-in')
  if (row.call && direct?.call && row.mechanism !== direct.mechanism) return {ratio: row.call.p50Ns / direct.call.p50Ns, against: 'go-compiled-in'}
  return undefined
}

const highPerformance: Claim = {
  id: 'high-performance',
  claim: 'high performance, just calling functions',
  about: 'Go stdlib plugin',
  rule: `confirmed when the per-call p50 of \`go-stdlib-plugin\` (without Go: its Node counterpart \`in-process\`) is within ${CALL_LIKE_MAX_RATIO}x of a plain function call (its floor, or \`go-compiled-in\`); refuted when it is more`,
  judge: (machines) =>
    acrossMachines(
      machines,
      (machine) => {
        for (const mechanism of ['go-stdlib-plugin', 'in-process']) {
          const row = okRow(machine, mechanism)
          const measured = row && callLikeRatio(machine, row)
          if (!row?.call || !measured) continue
          const verdict: Verdict = measured.ratio <= CALL_LIKE_MAX_RATIO ? 'confirmed' : 'refuted'
          return {verdict, evidence: `${counterpart(mechanism, 'go-stdlib-plugin')}: p50 ${formatNs(row.call.p50Ns)}, ${formatRatio(measured.ratio)} of ${code(measured.against)}`}
        }
        return undefined
      },
      'no ok `go-stdlib-plugin` or `in-process` row with a floor: run `plugin-survey bench`',
    ),
}

const slowerThanLibrary: Claim = {
  id: 'slower-than-library',
  claim: 'lower performance than dynamic library calls',
  about: 'HashiCorp go-plugin',
  rule: `confirmed when the per-call p50 of \`go-hashicorp\` is at least ${SLOWER_MIN_RATIO}x that of \`go-stdlib-plugin\` (without Go: \`child-grpc\` or \`child-rpc\` against \`in-process\`); refuted when it is less`,
  judge: (machines) =>
    acrossMachines(
      machines,
      (machine) => {
        const pairs = [['go-hashicorp', 'go-stdlib-plugin'], ['child-grpc', 'in-process'], ['child-rpc', 'in-process']] as const
        for (const [rpc, library] of pairs) {
          const slow = okRow(machine, rpc)?.call
          const fast = okRow(machine, library)?.call
          if (!slow || !fast) continue
          const factor = slow.p50Ns / fast.p50Ns
          return {
            verdict: factor >= SLOWER_MIN_RATIO ? 'confirmed' : 'refuted',
            evidence: `${code(rpc)} p50 ${formatNs(slow.p50Ns)} is ${formatRatio(factor)} the ${code(library)} p50 ${formatNs(fast.p50Ns)}${rpc === 'go-hashicorp' ? '' : ' (Node counterparts; no Go pair in this run)'}`,
          }
        }
        return undefined
      },
      'no pair of an RPC row and an in-process row, both ok: run `plugin-survey bench`',
    ),
}

const cannotCrashHost: Claim = {
  id: 'cannot-crash-host',
  claim: 'plugins cannot crash the main program',
  about: 'HashiCorp go-plugin',
  rule: 'confirmed when the host of `go-hashicorp` (without Go: `child-grpc`, then `child-rpc`) survives every fault tried; refuted when any fault kills it',
  judge: (machines) =>
    acrossMachines(
      machines,
      (machine) => {
        const subject = crashSubject(machine, GO_PLUGIN_LIKE)
        if (!subject) return undefined
        const died = subject.rows.filter((row) => !row.hostSurvived)
        const who = counterpart(subject.mechanism, 'go-hashicorp')
        return died.length === 0
          ? {verdict: 'confirmed', evidence: `${who}: the host survived all ${subject.rows.length} faults (${subject.rows.map((r) => r.fault).join(', ')})`}
          : {verdict: 'refuted', evidence: `${who}: the host died on ${faultList(died)}`}
      },
      'no crash-test rows for a child-process mechanism: run `plugin-survey crash-test`',
    ),
}

const hotReload: Claim = {
  id: 'hot-reload',
  claim: 'plugins can be hot-reloaded',
  about: 'HashiCorp go-plugin',
  rule: 'confirmed when a child-process mechanism replaced its plugin while calls streamed in with zero failed calls; refuted when calls failed; a restart after a crash is not a reload, so without a hot-reload result the claim is not measurable',
  judge: (machines) =>
    acrossMachines(
      machines,
      (machine) => {
        const reloads = hotReloadResults(machine).filter((r) => GO_PLUGIN_LIKE.includes(r.mechanism))
        if (reloads.length === 0) return undefined
        const failed = reloads.filter((r) => r.failedCalls > 0)
        const describe = (r: MeasuredHotReload) => `${code(r.mechanism)} reloaded${r.reloadMs !== undefined ? ` in ${formatMs(r.reloadMs)}` : ''} with ${r.failedCalls} failed calls${r.calls !== undefined ? ` of ${r.calls}` : ''}`
        return {verdict: failed.length === 0 ? 'confirmed' : 'refuted', evidence: reloads.map(describe).join('; ')}
      },
      'no hot-reload result for a child-process mechanism: run `plugin-survey crash-test` (without --no-hot-reload)',
    ),
}

const crossLanguage: Claim = {
  id: 'cross-language',
  claim: 'cross-language ("just gRPC over a socket")',
  about: 'HashiCorp go-plugin',
  rule: 'confirmed when `ts-host-go-plugin` or `go-host-ts-plugin` (a TypeScript host with a Go plugin, and the reverse) returns the exact sample answer in bench; refuted when they fail',
  judge: (machines) =>
    acrossMachines(
      machines,
      (machine) => {
        const rows = CROSS_LANGUAGE.map((id) => benchRow(machine, id)).filter((row): row is BenchRowOk | BenchRowFailed => row?.status === 'ok' || row?.status === 'failed')
        if (rows.length === 0) return undefined
        const ok = rows.filter((row) => row.status === 'ok')
        const describe = rows.map((row) => (row.status === 'ok' ? `${code(row.mechanism)} ok, p50 ${formatNs(row.call?.p50Ns)}` : `${code(row.mechanism)} failed: ${row.reason}`)).join('; ')
        return {verdict: ok.length > 0 && ok.length === rows.length ? 'confirmed' : 'refuted', evidence: describe}
      },
      'no `ts-host-go-plugin` or `go-host-ts-plugin` row ran in this run (they need Go on PATH)',
    ),
}

const stdioPreserved: Claim = {
  id: 'stdio-preserved',
  claim: 'logging, stdout/stderr preserved',
  about: 'HashiCorp go-plugin',
  rule: "confirmed when, in the `stdio-lines` cell of a go-plugin protocol mechanism (`go-hashicorp`, `child-grpc`, `ts-host-go-plugin`, `go-host-ts-plugin`), the plugin's marked lines on stdout and on stderr reached the host (over GRPCStdio) while the calls kept answering; refuted when a channel's lines were lost or the calls or the host broke; not measurable when no such cell ran",
  judge: (machines) =>
    acrossMachines(
      machines,
      (machine) => {
        const findings = GO_PLUGIN_PROTOCOL.flatMap((mechanism) => {
          const row = probedCrashRows(machine, mechanism).find((r) => r.fault === STDIO_FAULT.id)
          return row ? [stdioFinding(row)] : []
        })
        if (findings.length === 0) return undefined
        return {verdict: findings.every((f) => f.verdict === 'confirmed') ? 'confirmed' : 'refuted', evidence: findings.map((f) => f.evidence).join('; ')}
      },
      'no `stdio-lines` crash-test cell for a go-plugin protocol mechanism: run `plugin-survey crash-test --fault stdio-lines` with `child-grpc` (or Go)',
    ),
}

/** One stdio-lines cell: the lines that reached the host on each channel, and whether the calls kept answering. */
function stdioFinding(row: CrashRowProbed): Finding {
  const {stdoutLines, stderrLines} = row.stdio ?? {stdoutLines: 0, stderrLines: 0}
  const arrived = row.stdio ? `${stdoutLines} stdout and ${stderrLines} stderr lines reached the host` : 'the host recorded no stdio'
  const answered = row.hostSurvived && row.recovered && row.errorCode === undefined
  const lost = [stdoutLines === 0 ? 'stdout' : '', stderrLines === 0 ? 'stderr' : ''].filter(Boolean)
  if (!answered) {
    const broke = row.hostSurvived ? `the calls broke${row.errorCode ? ` (${row.errorCode}${row.errorMessage ? `: ${row.errorMessage}` : ''})` : ''}` : `the host died${row.errorCode ? ` (${row.errorCode})` : ''}`
    return {verdict: 'refuted', evidence: `${code(row.mechanism)}: ${arrived}, but ${broke}`}
  }
  if (lost.length > 0) return {verdict: 'refuted', evidence: `${code(row.mechanism)}: ${arrived}: the plugin's ${lost.join(' and ')} lines were lost, while the calls answered`}
  return {verdict: 'confirmed', evidence: `${code(row.mechanism)}: ${arrived}, and the calls answered exactly`}
}

const versioned: Claim = {
  id: 'versioned',
  claim: 'plugins are versioned',
  about: 'HashiCorp go-plugin',
  rule: 'confirmed when a plugin offering a protocol version the host does not accept is refused at start with an error code, the host surviving; refuted when it starts anyway',
  judge: (machines) =>
    acrossMachines(
      machines,
      (machine) => {
        for (const mechanism of GO_PLUGIN_PROTOCOL) {
          const row = probedCrashRows(machine, mechanism).find((r) => /version/.test(r.fault))
          if (!row) continue
          const refused = row.hostSurvived && row.errorCode !== undefined
          return {
            verdict: refused ? 'confirmed' : 'refuted',
            evidence: refused
              ? `${code(mechanism)}, fault \`${row.fault}\`: refused with ${row.errorCode}${row.errorMessage ? ` ("${row.errorMessage}")` : ''}`
              : `${code(mechanism)}, fault \`${row.fault}\`: the plugin was not refused`,
          }
        }
        return undefined
      },
      'no version-mismatch handshake row in this run: run `plugin-survey crash-test` with `child-grpc`',
    ),
}

const compileWholeBinary: Claim = {
  id: 'compile-whole-binary',
  claim: 'you must compile the whole binary yourself',
  about: 'Kubernetes scheduler-framework style (compiled in)',
  rule: 'confirmed when the compiled-in rows needed a build of host and plugin together before the first call (`buildMs` reported); refuted when one ran without such a build',
  judge: (machines) =>
    acrossMachines(
      machines,
      (machine) => {
        const rows = COMPILED_IN.map((id) => okRow(machine, id)).filter((row): row is BenchRowOk => row !== undefined)
        if (rows.length === 0) return undefined
        const built = rows.filter((row) => row.buildMs !== undefined)
        const describe = rows.map((row) => (row.buildMs !== undefined ? `${code(row.mechanism)}: host and plugin built together in ${formatMs(row.buildMs)}${row.buildCached ? ' (cached)' : ''}` : `${code(row.mechanism)}: no build step`)).join('; ')
        return {verdict: built.length === rows.length ? 'confirmed' : 'refuted', evidence: describe}
      },
      'no ok compiled-in row: run `plugin-survey bench`',
    ),
}

export const CLAIMS: readonly Claim[] = [
  crashesMainLoop,
  unixOnly,
  sameEnvironment,
  highPerformance,
  slowerThanLibrary,
  cannotCrashHost,
  hotReload,
  crossLanguage,
  stdioPreserved,
  versioned,
  compileWholeBinary,
]

export function evaluateClaims(machines: readonly Machine[]): ClaimResult[] {
  return CLAIMS.map(({judge, ...claim}) => ({...claim, ...judge(machines)}))
}
