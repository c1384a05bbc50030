import type {PluginInput, PluginOutput} from '../sample/contract.js'
import type {BenchRow} from '../report/types.js'
import type {BenchSettings} from '../measure/settings.js'

export type Family = 'node' | 'go' | 'cross' | 'wasm' | 'floor'

/** Whether a mechanism can run on this machine; when it cannot, a reason a person can act on. */
export type Support = {supported: true; detail?: string} | {supported: false; reason: string}

export interface LoadOptions {
  /** Path of a user's plugin module, where the mechanism can load one; the sample plugin otherwise. */
  pluginPath?: string
  /** Import a fresh copy instead of a cached module (for cold-start samples of in-process loading). */
  fresh?: boolean
  /** How long a start may take before it fails with START_TIMEOUT. */
  startTimeoutMs?: number
  /** How long one call may take before it fails with CALL_TIMEOUT (0: no limit). */
  callTimeoutMs?: number
  /** Heap cap of the plugin's own thread or process, in MiB, where it has one (crash-test keeps it small). */
  heapLimitMb?: number
  /** More flags for the plugin's own Node process, where it has one (crash-test's segfault cell: SEGFAULT_NODE_ARGS). */
  nodeArgs?: readonly string[]
  /**
   * What the plugin writes to its stdout and stderr, for the rows whose host receives it (go-plugin's GRPCStdio:
   * child-grpc, ts-host-go-plugin); other rows never call it. Without a handler the output is dropped, as a Go host
   * drops it unless ClientConfig.SyncStdout/SyncStderr are set.
   */
  onStdio?(channel: 'stdout' | 'stderr', data: Buffer): void
}

/** A plugin loaded by one mechanism. */
export interface LoadedPlugin {
  call(input: PluginInput): Promise<PluginOutput>
  /** Only where calling is a plain function call: lets the harness batch calls below the timer's resolution. */
  callSync?(input: PluginInput): PluginOutput
  ping(): Promise<void>
  /** Releases the plugin (ends its thread or process). Safe to call more than once. */
  dispose(): Promise<void>
  /** The plugin's own process, for the mechanisms that run it in one. */
  readonly pid?: number
  /** Settles with the reason once the plugin's thread or process has ended, for whatever cause. */
  readonly closed?: Promise<Error>
  /** Ends a plugin that no longer answers, at once (terminate, SIGKILL), where that is possible. */
  kill?(): Promise<void>
}

/** A throwaway host of another language that runs one crash-test probe (see docs/crash-test.md). */
export interface CrashHostCommand {
  file: string
  args: string[]
  env?: Record<string, string>
}

export interface Mechanism {
  readonly id: string
  readonly family: Family
  readonly title: string
  /** The floor row whose per-call p50 this row's overhead is measured against. */
  readonly floor?: string
  /** The floor row whose cold start this row's cold start is measured against. */
  readonly coldStartFloor?: string
  /** What this row measures: `spawn` rows only have a cold start. */
  readonly kind?: 'call' | 'spawn'
  /** Whether a user's plugin module (`--plugin`) can be loaded through this mechanism. */
  readonly acceptsUserPlugin?: boolean
  detect(): Promise<Support>
  /** One-off work before loading (a bundle, a compile), cached; its duration is reported as build time. */
  prepare?(options: LoadOptions): Promise<{buildMs: number; cached: boolean}>
  load(options: LoadOptions): Promise<LoadedPlugin>
  /** Mechanisms measured by a harness of their own (the Go rows) return their whole row. */
  benchExternally?(settings: BenchSettings, options: LoadOptions, progress?: (message: string) => void): Promise<BenchRow>
  /** The faults crash-test can inject into this row; the Node fault set when absent. */
  readonly faults?: readonly string[]
  /** Rows whose host is not Node: the command of a throwaway host probing one fault, printing crash-test's events. */
  crashHost?(fault: string, options: LoadOptions): Promise<CrashHostCommand>
}
