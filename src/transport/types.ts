// What every transport hands the rows: a loaded plugin behind one small interface, the options it is
// loaded with, and the command of a process to start.
import type {PluginInput, PluginOutput} from '../sample/contract.js'

/** How long a plugin may take to start before it fails with START_TIMEOUT, unless the caller says otherwise. */
export const DEFAULT_START_TIMEOUT_MS = 60_000

export interface LoadOptions {
  /** Path of a user's plugin module, where the row can load one; the sample plugin otherwise. */
  pluginPath?: string
  /** Import a fresh copy instead of a cached module (for cold-start samples of in-process loading). */
  fresh?: boolean
  /** How long a start may take before it fails with START_TIMEOUT (DEFAULT_START_TIMEOUT_MS when absent). */
  startTimeoutMs?: number
  /** How long one call may take before it fails with CALL_TIMEOUT (0: no limit). */
  callTimeoutMs?: number
  /** Heap cap of the plugin's own thread, process or engine (quickjs), in MiB, where it has one (crash-test keeps it small). */
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

/** A plugin loaded by one row. */
export interface LoadedPlugin {
  call(input: PluginInput): Promise<PluginOutput>
  /** Only where calling is a plain function call: lets the harness batch calls below the timer's resolution. */
  callSync?(input: PluginInput): PluginOutput
  ping(): Promise<void>
  /** Releases the plugin (ends its thread or process). Safe to call more than once. */
  dispose(): Promise<void>
  /** The plugin's own process, for the rows that run it in one. */
  readonly pid?: number
  /** Settles with the reason once the plugin's thread or process has ended, for whatever cause. */
  readonly closed?: Promise<Error>
  /** Ends a plugin that no longer answers, at once (terminate, SIGKILL), where that is possible. */
  kill?(): Promise<void>
}

/** A process to start: a throwaway host of crash-test, a row's own bench host. */
export interface HostCommand {
  file: string
  args: string[]
  env?: Record<string, string>
}
