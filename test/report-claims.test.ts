// Every claim's rule, fed hand-built data: confirmed, refuted (each claim can come out against the survey), and
// not measurable with what would measure it. Verdicts and findings are data; render/claims.ts gives the words.
import {describe, expect, it} from 'vitest'
import type {Authoring} from '../src/report/authoring.js'
import {CLAIMS, evaluateClaims, RUNTIME_FAULTS, type ClaimId, type ClaimResult, type Verdict} from '../src/report/claims/index.js'
import type {Machine} from '../src/report/merge.js'
import {SCHEMA_VERSION, type BenchRow, type CrashRow, type HotReloadRow, type LoggingRow, type RebuildCase, type StreamTerminals, type SurveyReport, type TerminalRow, type VersionCase, type VersionRow} from '../src/results/types.js'
import {claimWords, describeMissing} from '../src/render/claims.js'
import {testCall, testRatio} from './support/reports.js'

type Sections = Pick<SurveyReport, 'bench' | 'crash' | 'hotReload' | 'versions' | 'logging' | 'terminals'>

function machine(os: string, sections: Sections = {}): Machine {
  const report: SurveyReport = {
    schemaVersion: SCHEMA_VERSION,
    tool: {name: 'plugin-survey', version: '0.1.0'},
    host: {os, arch: 'x64', release: '1', node: '24.22.3', go: '1.26.8', cpuModel: 'cpu', cpuCount: 2, memoryBytes: 1, container: false},
    startedAt: '2026-12-01T00:00:00.000Z',
    ...sections,
  }
  return {label: `${os}-x64`, report, sources: []}
}

const ok = (mechanism: string, p50Ns: number, extra: Partial<BenchRow> = {}): BenchRow => ({mechanism, family: 'go', status: 'ok', call: testCall(p50Ns), ...extra}) as BenchRow
const skipped = (mechanism: string, reason: string): BenchRow => ({mechanism, family: 'go', status: 'skipped', reason})
const failed = (mechanism: string, reason: string): BenchRow => ({mechanism, family: 'go', status: 'failed', reason})
const cell = (mechanism: string, fault: string, hostSurvived: boolean, more: Partial<CrashRow> = {}): CrashRow => ({
  mechanism,
  family: 'go',
  fault,
  status: 'ok',
  hostSurvived,
  recovered: hostSurvived,
  orphans: 0,
  expected: {hostSurvived, recovered: hostSurvived, errorCodes: []},
  asExpected: true,
  codeAsExpected: true,
  ...more,
})
/** Every runtime fault survived by `mechanism`, but those in `died`. */
const runtimeCells = (mechanism: string, died: readonly string[] = []) => RUNTIME_FAULTS.map((fault) => cell(mechanism, fault, !died.includes(fault), died.includes(fault) ? {exitCode: 2} : {}))

const authoring = (lines: Record<string, [plugin: number, host: number, thirdParty?: string[]]>): Authoring[] =>
  Object.entries(lines).map(([mechanism, [pluginLines, hostLines, thirdParty = []]]) => ({mechanism, pluginLines, hostLines, files: [], thirdParty}))
// As counted from the fixtures today: the stdlib plugin the sparsest, go-plugin the most.
const AUTHORING = authoring({'go-stdlib-plugin': [4, 17], 'go-hashicorp': [9, 71, ['github.com/hashicorp/go-plugin']], 'go-compiled-in': [7, 51]})

const platforms = (outcomes: Record<string, 'built' | 'accepted' | 'refused'>): BenchRow => ({
  mechanism: 'go-plugin-platforms',
  family: 'go',
  status: 'finding',
  finding: 'as measured',
  targets: Object.entries(outcomes).map(([target, outcome]) => ({target, outcome})),
})
const SKEW = 'plugin.Open("p"): plugin was built with a different version of package example.com/shared'
const REFUSAL = '-buildmode=plugin not supported on windows/amd64'

const goReload = (figures: Partial<HotReloadRow>): HotReloadRow => ({mechanism: 'go-hashicorp', family: 'go', status: 'ok', calls: 100, failedCalls: 0, answeredByOld: 50, answeredByNew: 50, reloadMs: 20, countedBy: 'answer', ...figures})
const logging = (row: Partial<Extract<LoggingRow, {status: 'ok'}>>): LoggingRow => ({mechanism: 'go-hashicorp', status: 'ok', pluginName: 'goplugin-docplugin', hostLogger: 'host', found: true, level: 'warn', module: 'host.goplugin-docplugin', ...row})
const everyTerminal = {stdin: true, stdout: true, stderr: true}
const terminals = (plugin: StreamTerminals, host: StreamTerminals = everyTerminal): TerminalRow => ({mechanism: 'go-hashicorp', status: 'ok', pty: 'pty', host, plugin})
const AS_DOCUMENTED: VersionCase[] = [
  {serves: [1], negotiated: 1, servedBy: {appVersion: 1, build: '1'}},
  {serves: [1, 2], negotiated: 2, servedBy: {appVersion: 2, build: '1'}},
  {serves: [3], error: {message: 'incompatible API version with plugin. Plugin version: 3, Client versions: [1 2]'}},
]
const versions = (cases: VersionCase[], host: 'go-plugin' | 'typescript' = 'go-plugin'): VersionRow => ({mechanism: host === 'go-plugin' ? 'go-hashicorp' : 'ts-host-go-plugin', status: 'ok', host, offered: [1, 2], cases})

const rebuild = (mechanism: RebuildCase['mechanism'], fields: Partial<RebuildCase> = {}): RebuildCase => {
  const host = mechanism === 'go-compiled-in'
  return {
    mechanism,
    rebuilt: host ? 'host' : 'plugin',
    rebuildMs: 900,
    hostHashBefore: 'aaaa',
    hostHashAfter: host ? 'bbbb' : 'aaaa',
    answerBefore: 'old',
    answerAfter: host ? 'old' : 'new',
    ...(host ? {rebuiltHostAnswer: 'new'} : {}),
    ...fields,
  }
}
const rebuilds = (compiledIn: Partial<RebuildCase> = {}): BenchRow => ({mechanism: 'go-rebuild', family: 'go', title: 'go-rebuild', status: 'finding', finding: 'as measured', rebuilds: [rebuild('go-compiled-in', compiledIn), rebuild('go-stdlib-plugin'), rebuild('go-hashicorp')]})

const judged = (id: ClaimId, machines: Machine[], counts: Authoring[] = AUTHORING): ClaimResult => evaluateClaims(machines, counts).find((c) => c.id === id)!

type Case = [id: ClaimId, verdict: Verdict, machines: Machine[], counts?: Authoring[]]

const linux = (sections: Sections) => [machine('linux', sections)]

const cases: Case[] = [
  ['in-stdlib', 'confirmed', []],
  ['in-stdlib', 'refuted', [], authoring({'go-stdlib-plugin': [4, 17, ['example.com/loader']]})],
  ['in-stdlib', 'not measurable', [], []],
  ['simple-and-sparse', 'confirmed', []],
  ['simple-and-sparse', 'refuted', [], authoring({'go-stdlib-plugin': [40, 70], 'go-compiled-in': [7, 51]})],
  ['simple-and-sparse', 'not measurable', [], []],
  ['high-performance', 'confirmed', linux({bench: [ok('go-stdlib-plugin', 300), ok('go-compiled-in', 150)]})],
  ['high-performance', 'refuted', linux({bench: [ok('go-stdlib-plugin', 3000, {floor: 'floor-go-direct-call', ratios: [testRatio('call', 'floor-go-direct-call', 20)]} as Partial<BenchRow>)]})],
  // The Node counterpart alone decides nothing.
  ['high-performance', 'not measurable', linux({bench: [ok('in-process', 50, {floor: 'floor-direct-call', ratios: [testRatio('call', 'floor-direct-call', 1)]} as Partial<BenchRow>)]})],
  ['crash-main-loop', 'confirmed', linux({crash: [cell('go-stdlib-plugin', 'throw', true), cell('go-stdlib-plugin', 'exit', false, {exitCode: 3})]})],
  ['crash-main-loop', 'refuted', linux({crash: runtimeCells('go-stdlib-plugin')})],
  ['crash-main-loop', 'not measurable', linux({crash: [cell('go-stdlib-plugin', 'throw', true), cell('in-process', 'exit', false)]})],
  ['unix-only', 'confirmed', linux({bench: [platforms({'linux/amd64': 'built', 'darwin/arm64': 'accepted', 'freebsd/amd64': 'accepted', 'windows/amd64': 'refused'})]})],
  ['unix-only', 'confirmed', [machine('linux', {bench: [ok('go-stdlib-plugin', 300)]}), machine('win32', {bench: [skipped('go-stdlib-plugin', `the Go toolchain refuses to build a plugin here: "${REFUSAL}"`)]})]],
  ['unix-only', 'refuted', linux({bench: [platforms({'linux/amd64': 'built', 'darwin/arm64': 'accepted', 'freebsd/amd64': 'accepted', 'windows/amd64': 'accepted'})]})],
  ['unix-only', 'refuted', [machine('win32', {bench: [ok('go-stdlib-plugin', 300)]})]],
  // A skip from a documented list is no attempt: the Windows machine says nothing.
  ['unix-only', 'not measurable', [machine('linux', {bench: [ok('go-stdlib-plugin', 300)]}), machine('win32', {bench: [skipped('go-stdlib-plugin', "Go's plugin package does not support windows (golang/go#19282)")]})]],
  ['same-environment', 'confirmed', linux({bench: [{mechanism: 'go-coupling', family: 'go', title: 'go-coupling', status: 'finding', finding: SKEW}]})],
  ['same-environment', 'refuted', linux({bench: [{mechanism: 'go-coupling', family: 'go', title: 'go-coupling', status: 'finding', finding: 'plugin.Open accepted a plugin built against skew v1.1.0'}]})],
  ['same-environment', 'not measurable', linux({bench: [skipped('go-coupling', 'go not found')]})],
  ['feels-natural', 'confirmed', []],
  ['feels-natural', 'refuted', [], authoring({'go-hashicorp': [40, 71], 'go-compiled-in': [7, 51]})],
  ['feels-natural', 'not measurable', [], authoring({'go-hashicorp': [9, 71]})],
  ['cross-platform', 'confirmed', [machine('linux', {bench: [ok('go-hashicorp', 150_000)]}), machine('win32', {crash: [cell('go-hashicorp', 'throw', true)]})]],
  ['cross-platform', 'refuted', [machine('linux', {bench: [ok('go-hashicorp', 150_000)]}), machine('win32', {bench: [failed('go-hashicorp', 'the Go harness exited with code 1')]})]],
  ['cross-platform', 'not measurable', [machine('linux', {bench: [ok('go-hashicorp', 150_000)]}), machine('linux', {bench: [ok('go-hashicorp', 150_000)]})]],
  ['cross-language', 'confirmed', linux({bench: [ok('ts-host-go-plugin', 350_000), ok('go-host-ts-plugin', 300_000)]})],
  ['cross-language', 'refuted', linux({bench: [ok('ts-host-go-plugin', 350_000), failed('go-host-ts-plugin', 'handshake refused')]})],
  ['cross-language', 'not measurable', linux({bench: [skipped('ts-host-go-plugin', 'go not found'), ok('child-grpc', 300_000)]})],
  ['logging-preserved', 'confirmed', linux({logging: [logging({})]})],
  ['logging-preserved', 'refuted', linux({logging: [logging({level: 'debug'})]})],
  ['logging-preserved', 'refuted', linux({logging: [logging({module: 'host'})]})],
  ['logging-preserved', 'refuted', linux({logging: [logging({found: false, level: undefined, module: undefined})]})],
  ['logging-preserved', 'not measurable', linux({logging: [{mechanism: 'go-hashicorp', status: 'skipped', reason: 'go not found'}]})],
  ['stdio-preserved', 'confirmed', linux({crash: [cell('go-hashicorp', 'stdio-lines', true, {stdio: {stdoutLines: 2, stderrLines: 2, sent: 2}})]})],
  // One line of two lost is a loss: the count is compared with what was sent, not with zero.
  ['stdio-preserved', 'refuted', linux({crash: [cell('go-hashicorp', 'stdio-lines', true, {stdio: {stdoutLines: 1, stderrLines: 2, sent: 2}})]})],
  ['stdio-preserved', 'refuted', linux({crash: [cell('go-hashicorp', 'stdio-lines', true, {stdio: {stdoutLines: 2, stderrLines: 2, sent: 2}, recovered: false, errorCode: 'CALL_FAILED'})]})],
  ['stdio-preserved', 'not measurable', linux({crash: [cell('child-grpc', 'stdio-lines', true, {stdio: {stdoutLines: 2, stderrLines: 2, sent: 2}})]})],
  ['ttys-preserved', 'confirmed', linux({terminals: [terminals(everyTerminal)]})],
  ['ttys-preserved', 'refuted', linux({terminals: [terminals({stdin: true, stdout: false, stderr: false})]})],
  ['ttys-preserved', 'not measurable', linux({terminals: [terminals({stdin: false, stdout: false, stderr: false}, {stdin: false, stdout: true, stderr: true})]})],
  ['versioned', 'confirmed', linux({versions: [versions(AS_DOCUMENTED)]})],
  // A host that took the plugin serving only 3, or negotiated 1 where 2 was common, refutes.
  ['versioned', 'refuted', linux({versions: [versions([AS_DOCUMENTED[0]!, AS_DOCUMENTED[1]!, {serves: [3], negotiated: 3, servedBy: {appVersion: 3, build: '1'}}])]})],
  ['versioned', 'refuted', linux({versions: [versions([AS_DOCUMENTED[0]!, {serves: [1, 2], negotiated: 1, servedBy: {appVersion: 1, build: '1'}}, AS_DOCUMENTED[2]!])]})],
  ['versioned', 'refuted', linux({versions: [versions([AS_DOCUMENTED[0]!, AS_DOCUMENTED[1]!, {serves: [3], error: {code: 'START_TIMEOUT', message: 'timeout while waiting for plugin to start'}}])]})],
  // The TypeScript host is not go-plugin: its agreement alone is no verdict.
  ['versioned', 'not measurable', linux({versions: [versions(AS_DOCUMENTED, 'typescript')], crash: [cell('child-grpc', 'bad-app-version', true, {errorCode: 'HANDSHAKE_APP_VERSION'})]})],
  ['cannot-crash-host', 'confirmed', linux({crash: runtimeCells('go-hashicorp')})],
  ['cannot-crash-host', 'refuted', linux({crash: [cell('go-hashicorp', 'segfault', false, {signal: 'SIGSEGV'})]})],
  // Start-up faults alone, or part of the runtime set, prove nothing; a counterpart's death decides nothing either.
  ['cannot-crash-host', 'not measurable', linux({crash: [cell('go-hashicorp', 'throw', true), cell('go-hashicorp', 'bad-app-version', true), cell('child-grpc', 'oom', false)]})],
  ['hot-reload', 'confirmed', linux({hotReload: [goReload({})]})],
  ['hot-reload', 'refuted', linux({hotReload: [goReload({failedCalls: 3})]})],
  // The new build never answered: nothing shows a reload happened.
  ['hot-reload', 'refuted', linux({hotReload: [goReload({answeredByOld: 100, answeredByNew: 0})]})],
  // The project's own supervisor swapping plugins that answer alike is not go-plugin reloading.
  ['hot-reload', 'not measurable', linux({hotReload: [goReload({countedBy: 'generation'}), {mechanism: 'child-grpc', family: 'node', status: 'ok', calls: 10, failedCalls: 0, answeredByOld: 5, answeredByNew: 5}]})],
  ['slower-than-library', 'confirmed', linux({bench: [ok('go-hashicorp', 150_000), ok('go-stdlib-plugin', 300)]})],
  ['slower-than-library', 'refuted', linux({bench: [ok('go-hashicorp', 400), ok('go-stdlib-plugin', 300)]})],
  // The ratio of rounds paired in the same run wins over the ratio of the two p50s, either way.
  ['slower-than-library', 'confirmed', linux({bench: [ok('go-hashicorp', 400, {ratios: [testRatio('call', 'go-stdlib-plugin', 450, 'row')]} as Partial<BenchRow>), ok('go-stdlib-plugin', 300)]})],
  ['slower-than-library', 'refuted', linux({bench: [ok('go-hashicorp', 150_000, {ratios: [testRatio('call', 'go-stdlib-plugin', 1.5, 'row')]} as Partial<BenchRow>), ok('go-stdlib-plugin', 300)]})],
  ['slower-than-library', 'not measurable', linux({bench: [ok('child-grpc', 300_000), ok('in-process', 50)]})],
  ['simple-no-magic', 'confirmed', []],
  ['simple-no-magic', 'refuted', [], authoring({'go-compiled-in': [30, 90], 'go-hashicorp': [9, 71]})],
  ['simple-no-magic', 'refuted', [], authoring({'go-compiled-in': [7, 51, ['example.com/framework']], 'go-hashicorp': [9, 71]})],
  ['simple-no-magic', 'not measurable', [], authoring({'go-compiled-in': [7, 51]})],
  ['compile-whole-binary', 'confirmed', linux({bench: [rebuilds()]})],
  // A changed plugin that reached the host without a new host binary refutes it.
  ['compile-whole-binary', 'refuted', linux({bench: [rebuilds({rebuilt: 'plugin', hostHashAfter: 'aaaa', answerAfter: 'new', rebuiltHostAnswer: undefined})]})],
  ['compile-whole-binary', 'refuted', linux({bench: [rebuilds({hostHashAfter: 'aaaa'})]})],
  // A build time alone (what every compiled-in row reports) is no evidence.
  ['compile-whole-binary', 'not measurable', linux({bench: [ok('go-compiled-in', 150, {buildMs: 1900})]})],
  ['no-prebuilt-host', 'confirmed', linux({bench: [rebuilds()]})],
  ['no-prebuilt-host', 'refuted', linux({bench: [rebuilds({answerAfter: 'new'})]})],
  ['no-prebuilt-host', 'not measurable', linux({bench: [skipped('go-rebuild', 'go not found')]})],
]

describe('the survey claims', () => {
  it('judges 19 claims, in the survey order, each on its subject', () => {
    expect(evaluateClaims([machine('linux')], AUTHORING).map((c) => [c.id, c.subject])).toEqual([
      ['in-stdlib', 'go-stdlib-plugin'],
      ['simple-and-sparse', 'go-stdlib-plugin'],
      ['high-performance', 'go-stdlib-plugin'],
      ['crash-main-loop', 'go-stdlib-plugin'],
      ['unix-only', 'go-stdlib-plugin'],
      ['same-environment', 'go-stdlib-plugin'],
      ['feels-natural', 'go-hashicorp'],
      ['cross-platform', 'go-hashicorp'],
      ['cross-language', 'go-hashicorp'],
      ['logging-preserved', 'go-hashicorp'],
      ['stdio-preserved', 'go-hashicorp'],
      ['ttys-preserved', 'go-hashicorp'],
      ['versioned', 'go-hashicorp'],
      ['cannot-crash-host', 'go-hashicorp'],
      ['hot-reload', 'go-hashicorp'],
      ['slower-than-library', 'go-hashicorp'],
      ['simple-no-magic', 'go-compiled-in'],
      ['compile-whole-binary', 'go-compiled-in'],
      ['no-prebuilt-host', 'go-compiled-in'],
    ])
  })

  it.each(cases)('%s is %s', (id, verdict, machines, counts) => {
    expect(judged(id, machines, counts).verdict).toBe(verdict)
  })

  it('has, for every claim, a case that refutes it and one not measurable', () => {
    for (const {id} of CLAIMS) {
      expect(cases.some(([c, v]) => c === id && v === 'refuted'), `${id} refuted`).toBe(true)
      expect(cases.some(([c, v]) => c === id && v === 'not measurable'), `${id} not measurable`).toBe(true)
    }
  })

  it('returns findings as data: the mechanism, whether it decides, the numbers', () => {
    const result = judged('cannot-crash-host', linux({crash: [...runtimeCells('go-hashicorp'), cell('child-grpc', 'exit', false, {exitCode: 1})]}))
    expect(result.verdict).toBe('confirmed')
    expect(result.findings.map((f) => [f.mechanism, f.subject, f.verdict])).toEqual([
      ['go-hashicorp', true, 'confirmed'],
      ['child-grpc', false, 'refuted'],
    ])
    expect(result.findings[1]!.data).toEqual({ends: [{fault: 'exit', hostSurvived: false, exitCode: 1}], notTried: ['throw', 'reject', 'segfault', 'hang', 'never', 'oom']})
  })

  it('says which runtime faults were not tried when the set is incomplete', () => {
    const result = judged('cannot-crash-host', linux({crash: [cell('go-hashicorp', 'throw', true), cell('go-hashicorp', 'exit', true)]}))
    expect(result).toMatchObject({verdict: 'not measurable', missing: {needs: 'runtime-faults', notTried: ['reject', 'segfault', 'hang', 'never', 'oom']}})
    expect(describeMissing(result.missing!, result.subject)).toBe('to judge it, try every runtime fault (reject, segfault, hang, never, oom not tried): run `plugin-survey crash-test -m go-hashicorp` without --fault')
  })

  it('refutes a claim one machine refutes while another confirms it, naming each machine', () => {
    const result = judged('cannot-crash-host', [machine('linux', {crash: runtimeCells('go-hashicorp')}), machine('darwin', {crash: runtimeCells('go-hashicorp', ['segfault'])})])
    expect(result.verdict).toBe('refuted')
    expect(result.findings.map((f) => [f.machine, f.verdict])).toEqual([
      ['linux-x64', 'confirmed'],
      ['darwin-x64', 'refuted'],
    ])
  })
})

describe('the claims in words', () => {
  it('writes the deciding findings first, then added evidence, each with its numbers', () => {
    const words = claimWords(judged('stdio-preserved', linux({crash: [cell('child-grpc', 'stdio-lines', true, {stdio: {stdoutLines: 2, stderrLines: 2, sent: 2}}), cell('go-hashicorp', 'stdio-lines', true, {stdio: {stdoutLines: 2, stderrLines: 1, sent: 2}})]})))
    expect(words).toMatchObject({claim: 'stdout/stderr preserved', about: 'HashiCorp go-plugin', verdict: 'refuted'})
    expect(words.evidence).toEqual([
      '`go-hashicorp`: 2 stdout and 1 stderr lines reached the host of 2 written on each, and the calls answered',
      '`child-grpc`: 2 stdout and 2 stderr lines reached the host of 2 written on each, and the calls answered (added evidence, not deciding)',
    ])
  })

  it('writes what would measure a claim that is not measurable', () => {
    expect(claimWords(judged('versioned', linux({}))).evidence).toEqual([
      'no go-plugin feature probe: run `plugin-survey crash-test` with `go-hashicorp` (Go on PATH), without --no-features',
    ])
  })

  it('quotes go-plugin on a refused version and says which version served each call', () => {
    expect(claimWords(judged('versioned', linux({versions: [versions(AS_DOCUMENTED)]}))).evidence).toEqual([
      "`go-hashicorp`: go-plugin's Go host offering [1, 2]: [1] → negotiated 1, answered by app version 1 (build 1); [1, 2] → negotiated 2, answered by app version 2 (build 1); [3] → refused: \"incompatible API version with plugin. Plugin version: 3, Client versions: [1 2]\"",
    ])
  })
})
