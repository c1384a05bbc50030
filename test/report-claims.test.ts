import {describe, expect, it} from 'vitest'
import {evaluateClaims, type Verdict} from '../src/report/claims.js'
import type {Machine} from '../src/report/merge.js'
import type {BenchRow, CrashRow, CrashRowProbed, HotReloadRow, SurveyReport} from '../src/results/types.js'

function machine(os: string, parts: {bench?: BenchRow[]; crash?: CrashRow[]; hotReload?: HotReloadRow[]; go?: string | null}): Machine {
  const report: SurveyReport = {
    schemaVersion: 2,
    tool: {name: 'plugin-survey', version: '0.1.0'},
    host: {os, arch: 'x64', release: '1', node: '20.20.2', go: parts.go === undefined ? '1.26.8' : parts.go, cpuModel: 'cpu', cpuCount: 2, memoryBytes: 1, container: false},
    startedAt: '2026-11-30T00:00:00.000Z',
    ...(parts.bench ? {bench: parts.bench} : {}),
    ...(parts.crash ? {crash: parts.crash} : {}),
    ...(parts.hotReload ? {hotReload: parts.hotReload} : {}),
  }
  return {label: `${os}-x64`, report, sources: []}
}

const call = (p50Ns: number) => ({p50Ns, p99Ns: p50Ns * 2, meanNs: p50Ns, opsPerSec: 1e9 / p50Ns, rmePct: 1, samples: 100, batch: 1})
const ok = (mechanism: string, p50Ns: number, extra: Partial<BenchRow> = {}): BenchRow => ({mechanism, family: 'go', title: mechanism, status: 'ok', call: call(p50Ns), ...extra}) as BenchRow
const skipped = (mechanism: string, reason: string): BenchRow => ({mechanism, family: 'go', title: mechanism, status: 'skipped', reason})
const failed = (mechanism: string, reason: string): BenchRow => ({mechanism, family: 'go', title: mechanism, status: 'failed', reason})
const finding = (mechanism: string, text: string): BenchRow => ({mechanism, family: 'go', title: mechanism, status: 'finding', finding: text})
const crash = (mechanism: string, fault: string, hostSurvived: boolean, more: Partial<CrashRowProbed> = {}): CrashRowProbed => ({
  mechanism,
  family: 'go',
  fault,
  status: 'ok',
  hostSurvived,
  recovered: hostSurvived,
  orphans: 0,
  expected: {hostSurvived, recovered: hostSurvived},
  asExpected: true,
  ...more,
})

const reload = (mechanism: string, reloadMs: number, failedCalls: number): HotReloadRow => ({
  mechanism,
  family: 'go',
  status: 'ok',
  reloadMs,
  calls: 500,
  failedCalls,
  errorCodes: [],
  answeredByOld: 250,
  answeredByNew: 250,
})

const SKEW = 'plugin.Open("p"): plugin was built with a different version of package example.com/shared'

const PLATFORMS_FINDING = 'go build -buildmode=plugin: (as measured)'
const platforms = (outcomes: Record<string, 'built' | 'accepted' | 'refused'>): BenchRow => ({
  mechanism: 'go-plugin-platforms',
  family: 'go',
  title: 'go-plugin-platforms',
  status: 'finding',
  finding: PLATFORMS_FINDING,
  targets: Object.entries(outcomes).map(([target, outcome]) => ({target, outcome})),
})

type Case = [claim: string, verdict: Verdict, machines: Machine[], evidence: string]

const cases: Case[] = [
  ['crash-main-loop', 'confirmed', [machine('linux', {crash: [crash('go-stdlib-plugin', 'throw', true), crash('go-stdlib-plugin', 'exit', false, {exitCode: 3})]})], '`go-stdlib-plugin`: the host died on 1 of 2 faults: exit (exit 3)'],
  ['crash-main-loop', 'refuted', [machine('linux', {crash: [crash('go-stdlib-plugin', 'throw', true)]})], '`go-stdlib-plugin`: the host survived all 1 faults tried'],
  ['crash-main-loop', 'confirmed', [machine('linux', {crash: [crash('in-process', 'exit', false, {exitCode: 1})]})], '`in-process` (the counterpart measured here; no `go-stdlib-plugin` data): the host died on 1 of 1 faults: exit (exit 1)'],
  ['crash-main-loop', 'not measurable here', [machine('linux', {crash: [{mechanism: 'go-stdlib-plugin', family: 'go', fault: 'exit', status: 'skipped', reason: 'no go'}]})], 'no crash-test rows for an in-process mechanism: run `plugin-survey crash-test`'],
  ['unix-only', 'confirmed', [machine('linux', {bench: [ok('go-stdlib-plugin', 300)]}), machine('win32', {bench: [skipped('go-stdlib-plugin', 'windows')]})], 'linux-x64: ran'],
  ['unix-only', 'refuted', [machine('linux', {bench: [ok('go-stdlib-plugin', 300)]}), machine('win32', {bench: [ok('go-stdlib-plugin', 300)]})], 'win32-x64: ran'],
  ['unix-only', 'not measurable here', [machine('linux', {bench: [ok('go-stdlib-plugin', 300)]}), machine('win32', {bench: [skipped('go-stdlib-plugin', 'go not found')], go: null})], 'needs runs from a Windows machine and a Linux/macOS/FreeBSD machine with Go (merge them with `report --from`), or a `go-plugin-platforms` row'],
  ['unix-only', 'confirmed', [machine('linux', {bench: [platforms({'linux/amd64': 'built', 'darwin/arm64': 'accepted', 'freebsd/amd64': 'accepted', 'windows/amd64': 'refused'})]})], `linux-x64, \`go-plugin-platforms\`: ${PLATFORMS_FINDING}`],
  ['unix-only', 'refuted', [machine('linux', {bench: [platforms({'linux/amd64': 'built', 'darwin/arm64': 'accepted', 'freebsd/amd64': 'accepted', 'windows/amd64': 'accepted'})]})], `linux-x64, \`go-plugin-platforms\`: ${PLATFORMS_FINDING}`],
  ['same-environment', 'confirmed', [machine('linux', {bench: [finding('go-coupling', SKEW)]})], `\`go-coupling\`: plugin.Open refused the skewed plugin: "${SKEW}"`],
  ['same-environment', 'confirmed', [machine('linux', {crash: [crash('go-stdlib-plugin', 'load', true, {errorCode: 'PLUGIN_OPEN', errorMessage: SKEW})]})], `\`go-stdlib-plugin\`: plugin.Open refused the plugin: "${SKEW}"`],
  ['same-environment', 'refuted', [machine('linux', {bench: [finding('go-coupling', 'plugin.Open accepted a plugin built against skew v1.1.0')]})], '`go-coupling`: plugin.Open accepted a plugin built against skew v1.1.0'],
  ['same-environment', 'not measurable here', [machine('linux', {bench: [skipped('go-coupling', 'go not found'), failed('go-stdlib-plugin', 'boom')]})], 'no `go-coupling` row in this run: it needs Go with cgo on Linux, macOS or FreeBSD'],
  ['high-performance', 'confirmed', [machine('linux', {bench: [ok('go-stdlib-plugin', 300), ok('go-compiled-in', 150)]})], '`go-stdlib-plugin`: p50 300 ns, 2x of `go-compiled-in`'],
  ['high-performance', 'refuted', [machine('linux', {bench: [ok('go-stdlib-plugin', 3000, {floor: 'go-compiled-in', overheadRatio: 20} as Partial<BenchRow>)]})], '`go-stdlib-plugin`: p50 3 µs, 20x of `go-compiled-in`'],
  ['high-performance', 'not measurable here', [machine('linux', {bench: [ok('go-stdlib-plugin', 300)]})], 'no ok `go-stdlib-plugin` or `in-process` row with a floor: run `plugin-survey bench`'],
  ['slower-than-library', 'confirmed', [machine('linux', {bench: [ok('go-hashicorp', 150_000), ok('go-stdlib-plugin', 300)]})], '`go-hashicorp` p50 150 µs is 500x the `go-stdlib-plugin` p50 300 ns'],
  ['slower-than-library', 'refuted', [machine('linux', {bench: [ok('go-hashicorp', 400), ok('go-stdlib-plugin', 300)]})], '`go-hashicorp` p50 400 ns is 1.33x the `go-stdlib-plugin` p50 300 ns'],
  ['slower-than-library', 'not measurable here', [machine('linux', {bench: [ok('go-hashicorp', 150_000)]})], 'no pair of an RPC row and an in-process row, both ok: run `plugin-survey bench`'],
  ['cannot-crash-host', 'confirmed', [machine('linux', {crash: [crash('go-hashicorp', 'exit', true), crash('go-hashicorp', 'segfault', true)]})], '`go-hashicorp`: the host survived all 2 faults (exit, segfault)'],
  ['cannot-crash-host', 'refuted', [machine('linux', {crash: [crash('child-rpc', 'oom', false, {signal: 'SIGABRT'})]})], '`child-rpc` (the counterpart measured here; no `go-hashicorp` data): the host died on oom (SIGABRT)'],
  ['cannot-crash-host', 'not measurable here', [machine('linux', {})], 'no crash-test rows for a child-process mechanism: run `plugin-survey crash-test`'],
  ['hot-reload', 'confirmed', [machine('linux', {hotReload: [reload('go-hashicorp', 12, 0)]})], '`go-hashicorp` reloaded in 12 ms with 0 failed calls of 500'],
  ['hot-reload', 'refuted', [machine('linux', {hotReload: [reload('child-grpc', 90, 3)]})], '`child-grpc` reloaded in 90 ms with 3 failed calls of 500'],
  ['hot-reload', 'not measurable here', [machine('linux', {crash: [crash('child-grpc', 'exit', true)]})], 'no hot-reload result for a child-process mechanism: run `plugin-survey crash-test` (without --no-hot-reload)'],
  ['cross-language', 'confirmed', [machine('linux', {bench: [ok('ts-host-go-plugin', 350_000), ok('go-host-ts-plugin', 300_000)]})], '`ts-host-go-plugin` ok, p50 350 µs; `go-host-ts-plugin` ok, p50 300 µs'],
  ['cross-language', 'refuted', [machine('linux', {bench: [failed('ts-host-go-plugin', 'handshake refused')]})], '`ts-host-go-plugin` failed: handshake refused'],
  ['cross-language', 'not measurable here', [machine('linux', {bench: [skipped('ts-host-go-plugin', 'go not found')]})], 'no `ts-host-go-plugin` or `go-host-ts-plugin` row ran in this run (they need Go on PATH)'],
  ['stdio-preserved', 'confirmed', [machine('linux', {crash: [crash('child-grpc', 'stdio-lines', true, {stdio: {stdoutLines: 2, stderrLines: 2}})]})], '`child-grpc`: 2 stdout and 2 stderr lines reached the host, and the calls answered exactly'],
  [
    'stdio-preserved',
    'refuted',
    [machine('linux', {crash: [crash('child-grpc', 'stdio-lines', true, {stdio: {stdoutLines: 2, stderrLines: 2}}), crash('go-hashicorp', 'stdio-lines', true, {stdio: {stdoutLines: 0, stderrLines: 2}})]})],
    "`go-hashicorp`: 0 stdout and 2 stderr lines reached the host: the plugin's stdout lines were lost, while the calls answered; `child-grpc`: 2 stdout and 2 stderr lines reached the host, and the calls answered exactly",
  ],
  [
    'stdio-preserved',
    'refuted',
    [machine('linux', {crash: [crash('ts-host-go-plugin', 'stdio-lines', true, {stdio: {stdoutLines: 1, stderrLines: 1}, recovered: false, errorCode: 'CALL_FAILED', errorMessage: 'stream reset', asExpected: false})]})],
    '`ts-host-go-plugin`: 1 stdout and 1 stderr lines reached the host, but the calls broke (CALL_FAILED: stream reset)',
  ],
  ['stdio-preserved', 'refuted', [machine('linux', {crash: [crash('go-host-ts-plugin', 'stdio-lines', true)]})], "`go-host-ts-plugin`: the host recorded no stdio: the plugin's stdout and stderr lines were lost, while the calls answered"],
  // Harmless junk on stdout, a skipped cell or a row that does not speak go-plugin's protocol says nothing about delivery.
  [
    'stdio-preserved',
    'not measurable here',
    [machine('linux', {crash: [crash('child-grpc', 'stdout-garbage', true), crash('child-rpc', 'stdio-lines', true, {stdio: {stdoutLines: 2, stderrLines: 2}}), {mechanism: 'go-hashicorp', family: 'go', fault: 'stdio-lines', status: 'skipped', reason: 'go not found'}]})],
    'no `stdio-lines` crash-test cell for a go-plugin protocol mechanism: run `plugin-survey crash-test --fault stdio-lines` with `child-grpc` (or Go)',
  ],
  ['versioned', 'confirmed', [machine('linux', {crash: [crash('child-grpc', 'bad-app-version', true, {errorCode: 'HANDSHAKE_APP_VERSION'})]})], '`child-grpc`, fault `bad-app-version`: refused with HANDSHAKE_APP_VERSION'],
  ['versioned', 'refuted', [machine('linux', {crash: [crash('child-grpc', 'bad-app-version', true)]})], '`child-grpc`, fault `bad-app-version`: the plugin was not refused'],
  ['versioned', 'not measurable here', [machine('linux', {crash: [crash('child-grpc', 'exit', true)]})], 'no version-mismatch handshake row in this run: run `plugin-survey crash-test` with `child-grpc`'],
  ['compile-whole-binary', 'confirmed', [machine('linux', {bench: [ok('go-compiled-in', 150, {buildMs: 1900, buildCached: true} as Partial<BenchRow>)]})], '`go-compiled-in`: host and plugin built together in 1.9 s (cached)'],
  ['compile-whole-binary', 'refuted', [machine('linux', {bench: [ok('compiled-in', 50)]})], '`compiled-in`: no build step'],
  ['compile-whole-binary', 'not measurable here', [machine('linux', {bench: [skipped('go-compiled-in', 'go not found')]})], 'no ok compiled-in row: run `plugin-survey bench`'],
]

describe('the survey claims', () => {
  it('judges all eleven claims of the issue, in order', () => {
    expect(evaluateClaims([machine('linux', {})]).map((c) => c.claim)).toEqual([
      'plugins can crash the main loop',
      'Linux, FreeBSD and macOS only',
      'plugin and host must be built in the exact same environment',
      'high performance, just calling functions',
      'lower performance than dynamic library calls',
      'plugins cannot crash the main program',
      'plugins can be hot-reloaded',
      'cross-language ("just gRPC over a socket")',
      'logging, stdout/stderr preserved',
      'plugins are versioned',
      'you must compile the whole binary yourself',
    ])
  })

  it.each(cases)('%s is %s', (id, verdict, machines, evidence) => {
    const result = evaluateClaims(machines).find((c) => c.id === id)!
    expect(result.verdict).toBe(verdict)
    expect(result.evidence).toContain(evidence)
  })

  it('refutes a claim when one machine refutes what another confirms, naming each machine', () => {
    const machines = [
      machine('linux', {crash: [crash('go-hashicorp', 'exit', true)]}),
      machine('darwin', {crash: [crash('go-hashicorp', 'exit', false, {exitCode: 1})]}),
    ]
    const result = evaluateClaims(machines).find((c) => c.id === 'cannot-crash-host')!
    expect(result.verdict).toBe('refuted')
    expect(result.evidence).toEqual(['linux-x64: `go-hashicorp`: the host survived all 1 faults (exit)', 'darwin-x64: `go-hashicorp`: the host died on exit (exit 1)'])
  })
})
