// The data of a report: plain, serialisable, versioned. Every renderer takes a SurveyReport. Each result is a
// tagged union on `status` whose data exists only on the variant that has it; results/variants.ts builds every
// variant. docs/schema.md and docs/report.schema.json describe it for users; bump SCHEMA_VERSION on a breaking
// change (report/v2.ts reads the documents of version 2).
import type {CallStats, ColdStart, PairedRatio, Timing} from './figures.js'
import type {CellRef, RowIdentity, RowRef} from './identity.js'
import type {ScaleRow} from './scale.js'

export type {CellRef, Family, RowIdentity, RowRef} from './identity.js'

export type {CallStats, ColdStart, HistogramData, Interval, Mode, PairedRatio, RatioFigure, StabilityFlag, Timing} from './figures.js'

export const SCHEMA_VERSION = 3

/**
 * Where the plugin's code runs, seen from the host: `same-thread` (the host's own thread; Go: the calling
 * goroutine of the host process), `other-thread` (a worker in the host's process), `other-process`, or
 * `sandbox` (a WebAssembly instance, whichever thread runs it).
 */
export type Placement = 'same-thread' | 'other-thread' | 'other-process' | 'sandbox'

/** The three mechanisms of "A Survey of Golang 'plugins' in 2020", by the row that is each one here. */
export type SurveySubject = 'go-stdlib-plugin' | 'go-plugin' | 'compiled-in'

/** The cost of a one-off build: its own duration, and whether it came from the cache. */
export interface Build {
  buildMs: number
  cached: boolean
}

/** What a demonstration found, verbatim, with what it took. */
export interface Finding {
  finding: string
  /** go-plugin-platforms: what `go build -buildmode=plugin` did for each GOOS/GOARCH. */
  targets?: PlatformTarget[]
  /** go-rebuild: what a changed plugin needed rebuilt under each Go host. */
  rebuilds?: RebuildCase[]
  buildMs?: number
  buildCached?: boolean
  notes?: string[]
}

/** One platform of go-plugin-platforms: `built`, the build mode `accepted` (a cross build then needs a C cross-compiler), `refused` by the toolchain, or the native build `failed` for another reason. */
export interface PlatformTarget {
  target: string
  outcome: 'built' | 'accepted' | 'refused' | 'failed'
  message?: string
}

/** One Go host of go-rebuild: built once, then its plugin's source changed and only what must be was rebuilt. */
export interface RebuildCase {
  mechanism: 'go-compiled-in' | 'go-stdlib-plugin' | 'go-hashicorp'
  /** What had to be built again for the change to reach the host: the host itself, or only the plugin. */
  rebuilt: 'host' | 'plugin'
  rebuildMs: number
  /** sha256 of the host binary before and after (the first 16 hex digits). */
  hostHashBefore: string
  hostHashAfter: string
  /** The first host binary's answers, before and after the plugin changed. */
  answerBefore: string
  answerAfter: string
  /** Compiled-in: the answer of the rebuilt host binary. */
  rebuiltHostAnswer?: string
}

export interface HostInfo {
  os: string
  arch: string
  release: string
  node: string
  go: string | null
  cpuModel: string
  cpuCount: number
  memoryBytes: number
  container: boolean
  hostname?: string
  /** The libraries the rows measure; absent in reports written before they were recorded. */
  versions?: LibraryVersions
}

/** Each is null when not installed (grpc-js) or not required by fixtures/go/go.mod (the Go modules). */
export interface LibraryVersions {
  /** @grpc/grpc-js, under the TypeScript go-plugin host and plugin (child-grpc and the cross rows). */
  grpcJs: string | null
  /** github.com/hashicorp/go-plugin (go-hashicorp and the cross rows). */
  goPlugin: string | null
  /** google.golang.org/grpc, go-plugin's transport in Go. */
  grpcGo: string | null
  /** github.com/tetratelabs/wazero, the go-wasm row's runtime. */
  wazero: string | null
}

export interface PayloadPoint {
  bytes: number
  p50Ns: number
  /** Timed as the row's calls are: one by one, or in batches for calls below 1 µs. */
  timing: Timing
}

/** A row measured: its figures, and the ratios against its floors and other rows. */
export interface BenchRowOk extends RowIdentity {
  status: 'ok'
  coldStart?: ColdStart
  call?: CallStats
  payload?: PayloadPoint[]
  /** Resident memory one loaded plugin adds: the host's growth plus the plugin process's own RSS; absent when it cannot be measured here. */
  rssBytes?: number
  coldStartFloor?: string
  /** Ratios measured in paired rounds: against the row's floors (its overhead) and against other rows. */
  ratios?: PairedRatio[]
  /** Time of the one-off build (bundle, compile) before the first load, when the mechanism has one. */
  buildMs?: number
  buildCached?: boolean
  notes?: string[]
}

/** A demonstration row (go-coupling, go-plugin-platforms, go-rebuild): what it found instead of timings. */
export interface BenchRowFinding extends RowIdentity, Finding {
  status: 'finding'
}

export interface BenchRowSkipped extends RowIdentity {
  status: 'skipped'
  reason: string
}

export interface BenchRowFailed extends RowIdentity {
  status: 'failed'
  reason: string
  errorCode?: string
}

export type BenchRow = BenchRowOk | BenchRowFinding | BenchRowSkipped | BenchRowFailed

export interface CrashExpectation {
  hostSurvived: boolean
  recovered: boolean
  /** The error codes the host may report for this fault (empty: the fault goes unnoticed, no code). */
  errorCodes: string[]
}

/** A cell whose probe ran: what the host lived through, compared with the row's expectation. */
export interface CrashRowProbed extends CellRef {
  status: 'ok'
  hostSurvived: boolean
  /** How the host ended, when it did not survive. */
  exitCode?: number
  signal?: string
  errorCode?: string
  errorMessage?: string
  detectMs?: number
  recovered: boolean
  /** Processes left behind (then killed by crash-test). */
  orphans: number
  expected: CrashExpectation
  /** hostSurvived and recovered as expected, nothing left behind, and every stdio line arrived. */
  asExpected: boolean
  /** The error code is one of expected.errorCodes; a cell as expected but with another code is shown ⚠. */
  codeAsExpected: boolean
  /** The stdio-lines fault: the plugin's marked lines the host received on each channel (go-plugin's GRPCStdio). */
  stdio?: StdioLines
  notes?: string[]
}

/** A cell that cannot run on this machine, or that the row does not take. */
export interface CrashRowSkipped extends CellRef {
  status: 'skipped'
  reason: string
}

/** A probe that could not run (the plugin never worked, the host never got to the fault). */
export interface CrashRowFailed extends CellRef {
  status: 'failed'
  reason: string
}

export type CrashRow = CrashRowProbed | CrashRowSkipped | CrashRowFailed

/** Lines a host received from its plugin's stdout and stderr. */
export interface StdioLines {
  stdoutLines: number
  stderrLines: number
  /** The lines the plugin wrote on each channel: one per call the host made. */
  sent?: number
}

/** A result of a row that cannot run here (skipped), or whose probe could not run (failed): its reason, nothing else. */
export type NotRun<Ref> = Ref & {status: 'skipped' | 'failed'; reason: string}

/** crash-test's hot reload: a new version swapped in while calls stream. */
export interface HotReloadRowOk extends RowRef {
  status: 'ok'
  /** From asking for the new version to calls going to it. */
  reloadMs: number
  /** go-hashicorp: how long the old Client's Kill took (Shutdown, then the process's end). */
  killOldMs?: number
  /** How old and new answers were told apart: by what each answer says served it, or by the host's count of plugin generations; absent only in rows read from schemaVersion 2 files that did not say. */
  countedBy?: 'answer' | 'generation'
  calls: number
  failedCalls: number
  /** The codes of the failed calls; this and the answers of each version are absent only in rows read from schemaVersion 2 files that did not record them. */
  errorCodes?: string[]
  /** Calls each version answered; absent only in rows read from schemaVersion 2 files that did not count them. */
  answeredByOld?: number
  answeredByNew?: number
  oldPid?: number
  newPid?: number
  oldProcessExited?: boolean
  /** In-process: the replaced module is still reachable after garbage collection (ES modules cannot be unloaded). */
  oldModuleRetained?: boolean
  heapGrowthPerReloadBytes?: number
  notes?: string[]
}

export type HotReloadRow = HotReloadRowOk | NotRun<RowRef>

/** Which orphan probe a result is: go-hashicorp and go-host-ts-plugin are probed twice, with a plugin that watches its parent and exits when it is gone, and with one that does not (as go-plugin's docs write one). */
export interface OrphanRef extends RowRef {
  parentWatch?: boolean
}

/** crash-test's orphan probe: the host is killed with SIGKILL while its plugin runs. */
export interface OrphanRowOk extends OrphanRef {
  status: 'ok'
  /** Plugin processes running when the host was killed. */
  pluginProcesses: number
  /** Of those, still alive after the grace period (then killed by crash-test). */
  orphans: number
  /** How long the last plugin process took to exit by itself. */
  goneWithinMs?: number
  notes?: string[]
}

export type OrphanRow = OrphanRowOk | NotRun<OrphanRef>

/** A go-plugin probe beyond the fault matrix (versions, logging, terminals) that did not run here: why. */
export interface UnmeasuredRow {
  mechanism: string
  status: 'skipped' | 'failed'
  reason: string
}

/** One start of a plugin serving `serves` by a host offering VersionRow.offered. */
export interface VersionCase {
  serves: number[]
  /** What the host says it negotiated. */
  negotiated?: number
  /** What the plugin's answer says served the call. */
  servedBy?: {appVersion: number; build: string}
  /** The host's own error when it refused the plugin. */
  error?: {code?: string; message: string}
}

/** crash-test: app-version negotiation (go-plugin's VersionedPlugins) by go-plugin's Go host or the TypeScript host. */
export type VersionRow = {mechanism: string; status: 'ok'; host: 'go-plugin' | 'typescript'; offered: number[]; cases: VersionCase[]} | UnmeasuredRow

/** crash-test: where the plugin's hclog line at WARN landed in go-plugin's host logger. */
export type LoggingRow =
  | {mechanism: string; status: 'ok'; pluginName: string; hostLogger: string; found: boolean; level?: string; module?: string; message?: string}
  | UnmeasuredRow

export interface StreamTerminals {
  stdin: boolean
  stdout: boolean
  stderr: boolean
}

/** crash-test: go-plugin's host run under a pseudo-terminal; which standard streams are terminals for it and for its plugin. */
export type TerminalRow = {mechanism: string; status: 'ok'; pty: string; host: StreamTerminals; plugin: StreamTerminals} | UnmeasuredRow

export interface SurveyReport {
  schemaVersion: typeof SCHEMA_VERSION
  tool: {name: string; version: string}
  host: HostInfo
  startedAt: string
  finishedAt?: string
  /** The settings the run used, so figures can be compared knowingly. */
  settings?: Record<string, unknown>
  bench?: BenchRow[]
  crash?: CrashRow[]
  hotReload?: HotReloadRow[]
  orphans?: OrphanRow[]
  versions?: VersionRow[]
  logging?: LoggingRow[]
  terminals?: TerminalRow[]
  /** `scale`: plugins loaded at once and calls in flight, per row (results/scale.ts). */
  scale?: ScaleRow[]
  [extra: string]: unknown
}
