import type {Support} from '../core/support.js'
import type {HostCommand, LoadedPlugin, LoadOptions} from '../transport/types.js'
import type {BenchRow} from '../report/types.js'
import type {BenchSettings} from '../measure/settings.js'

export type Family = 'node' | 'go' | 'cross' | 'wasm' | 'floor'


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
  crashHost?(fault: string, options: LoadOptions): Promise<HostCommand>
}

export type {HostCommand, LoadedPlugin, LoadOptions, Support}
