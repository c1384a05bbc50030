// The data of a report: plain, serialisable, versioned. Every renderer takes a SurveyReport.
// docs/schema.md and docs/report.schema.json describe it for users; bump SCHEMA_VERSION on a breaking change.
import type {Family, PlatformTarget} from '../mechanisms/row.js'
import type {CallStats, ColdStart, PairedRatio, Timing} from './figures.js'
import type {ScaleRow} from './scale.js'

export type {CallStats, ColdStart, HistogramData, Interval, Mode, PairedRatio, RatioFigure, StabilityFlag, Timing} from './figures.js'

export const SCHEMA_VERSION = 2

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

interface RowBase {
  mechanism: string
  family: Family
  title?: string
  /** The floor row this row's per-call overhead is measured against. */
  floor?: string
}

export interface BenchRowOk extends RowBase {
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
  /** What a demonstration row (no timings) found, verbatim: e.g. the exact error plugin.Open gave. */
  finding?: string
  /** go-plugin-platforms: what `go build -buildmode=plugin` did for each GOOS/GOARCH. */
  targets?: PlatformTarget[]
}

export type {PlatformTarget}

export interface BenchRowSkipped extends RowBase {
  status: 'skipped'
  reason: string
}

export interface BenchRowFailed extends RowBase {
  status: 'failed'
  reason: string
  errorCode?: string
}

export type BenchRow = BenchRowOk | BenchRowSkipped | BenchRowFailed

export interface CrashExpectation {
  hostSurvived: boolean
  recovered: boolean
}

export interface CrashRow {
  mechanism: string
  family: Family
  fault: string
  status?: 'ok' | 'skipped' | 'failed'
  reason?: string
  hostSurvived: boolean
  exitCode?: number
  signal?: string
  errorCode?: string
  errorMessage?: string
  detectMs?: number
  recovered: boolean
  orphans: number
  expected: CrashExpectation
  asExpected: boolean
  /** The stdio-lines fault: the plugin's marked lines the host received on each channel (go-plugin's GRPCStdio). */
  stdio?: StdioLines
  notes?: string[]
}

/** Lines a host received from its plugin's stdout and stderr. */
export interface StdioLines {
  stdoutLines: number
  stderrLines: number
}

/** crash-test's hot reload: a new version swapped in while calls stream. */
export interface HotReloadRow {
  mechanism: string
  family: Family
  status: 'ok' | 'skipped' | 'failed'
  reason?: string
  /** From asking for the new version to calls going to it. */
  reloadMs?: number
  calls?: number
  failedCalls?: number
  errorCodes?: string[]
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

/** crash-test's orphan probe: the host is killed with SIGKILL while its plugin runs. */
export interface OrphanRow {
  mechanism: string
  family: Family
  status: 'ok' | 'skipped' | 'failed'
  reason?: string
  /** Plugin processes running when the host was killed. */
  pluginProcesses: number
  /** Of those, still alive after the grace period (then killed by crash-test). */
  orphans: number
  /** How long the last plugin process took to exit by itself. */
  goneWithinMs?: number
  notes?: string[]
}

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
  /** `scale`: plugins loaded at once and calls in flight, per row (report/scale.ts). */
  scale?: ScaleRow[]
  [extra: string]: unknown
}
