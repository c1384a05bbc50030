// The data of a report: plain, serialisable, versioned. Every renderer takes a SurveyReport. Each result is a
// tagged union on `status` whose data exists only on the variant that has it; the constructors of
// src/results/rows.ts build every variant. docs/schema.md and docs/report.schema.json describe it for users;
// bump SCHEMA_VERSION on a breaking change (report/v1.ts reads the documents of version 1).

export const SCHEMA_VERSION = 2

/** A row's kind: `cross` is a host in one language with a plugin in another; floors are the bare transports. */
export type Family = 'node' | 'go' | 'cross' | 'wasm' | 'floor'

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
}

/** Which row a result is of: in every crash-test result. */
export interface RowRef {
  mechanism: string
  family: Family
}

/** Which row a bench result is of. */
export interface RowIdentity extends RowRef {
  title: string
}

export interface ColdStart {
  p50Ms: number
  p99Ms: number
  meanMs: number
  samples: number
}

export interface CallStats {
  p50Ns: number
  p99Ns: number
  meanNs: number
  opsPerSec: number
  rmePct: number
  samples: number
  /** Calls timed together per sample, for calls below the timer's resolution (1: each call timed alone). */
  batch: number
}

export interface PayloadPoint {
  bytes: number
  p50Ns: number
}

/** The cost of a one-off build: its own duration, and whether it came from the cache. */
export interface Build {
  buildMs: number
  cached: boolean
}

/** A row measured: its figures, and the floors they are divided by. */
export interface BenchRowOk extends RowIdentity {
  status: 'ok'
  coldStart?: ColdStart
  call?: CallStats
  payload?: PayloadPoint[]
  /** Resident memory one loaded plugin adds: the host's growth plus the plugin process's own RSS. */
  rssBytes?: number
  /** The floor row this row's per-call overhead is measured against. */
  floor?: string
  /** call.p50Ns divided by the floor's call.p50Ns. */
  overheadRatio?: number
  coldStartFloor?: string
  /** coldStart.p50Ms divided by the cold-start floor's coldStart.p50Ms. */
  coldStartRatio?: number
  /** Time of the one-off build (bundle, compile) before the first load, when the row has one. */
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

/** What a demonstration row found, verbatim, with what it took. */
export interface Finding {
  finding: string
  /** go-plugin-platforms: what `go build -buildmode=plugin` did for each GOOS/GOARCH. */
  targets?: PlatformTarget[]
  buildMs?: number
  buildCached?: boolean
  notes?: string[]
}

/** A demonstration row (go-coupling, go-plugin-platforms): a finding instead of timings. */
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

/** The documented outcome a probed cell is compared with (the row's expectation for the fault). */
export interface CrashExpectation {
  hostSurvived: boolean
  recovered: boolean
  /** The error codes the documented host reports ([]: it notices nothing); absent in cells read from schemaVersion 1. */
  errorCodes?: string[]
}

/** Which cell a crash-test result is: one row, one fault. */
export interface CellRef extends RowRef {
  fault: string
}

/** Lines a host received from its plugin's stdout and stderr. */
export interface StdioLines {
  stdoutLines: number
  stderrLines: number
}

/** A cell whose probe ran: what the host lived through, compared with the documented expectation. */
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
  orphans: number
  expected: CrashExpectation
  asExpected: boolean
  /** The stdio-lines fault: the plugin's marked lines the host received on each channel (go-plugin's GRPCStdio). */
  stdio?: StdioLines
  notes?: string[]
}

export interface CrashRowSkipped extends CellRef {
  status: 'skipped'
  reason: string
}

/** A probe that could not run (the plugin never worked, the host never got to the fault). */
export interface CrashRowFailed extends CellRef {
  status: 'failed'
  reason: string
  notes?: string[]
}

export type CrashRow = CrashRowProbed | CrashRowSkipped | CrashRowFailed

/** crash-test's hot reload: a new version swapped in while calls stream. */
export interface HotReloadRowOk extends RowRef {
  status: 'ok'
  /** From asking for the new version to calls going to it. */
  reloadMs: number
  calls: number
  failedCalls: number
  /** The codes of the failed calls; this and the answers of each version are absent only in rows read from schemaVersion 1. */
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

/** A result of a row that cannot run here (skipped), or whose probe could not run (failed): the reason, nothing else. */
export interface NotRun extends RowRef {
  status: 'skipped' | 'failed'
  reason: string
}

export type HotReloadRow = HotReloadRowOk | NotRun

/** crash-test's orphan probe: the host is killed with SIGKILL while its plugin runs. */
export interface OrphanRowOk extends RowRef {
  status: 'ok'
  /** Plugin processes running when the host was killed. */
  pluginProcesses: number
  /** Of those, still alive after the grace period (then killed by crash-test). */
  orphans: number
  /** How long the last plugin process took to exit by itself. */
  goneWithinMs?: number
  notes?: string[]
}

export type OrphanRow = OrphanRowOk | NotRun

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
  [extra: string]: unknown
}
