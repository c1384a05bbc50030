// The line protocol between `bench` and its measuring processes: the Node runner (src/measure/runner.ts) and a
// Go host's -rounds mode (fixtures/go/internal/harness/rounds.go) take the same requests, one JSON line each on
// stdin, and answer each with one JSON line on stdout after ROUNDS_PREFIX (so a plugin's own output is never taken
// for a reply). Requests are answered in order; closing stdin ends the plugins and the process.
import type {HistogramData} from '../results/figures.js'

export const ROUNDS_PREFIX = '@@round '

export type RoundsRequest =
  /** The row's one-off build (bundle, compile); cached. */
  | {op: 'prepare'; row: string}
  /** One cold-start sample: from nothing to the first correct answer. */
  | {op: 'cold'; row: string}
  /** Loads the row's plugin and keeps it for the rounds; answers with the memory it added. */
  | {op: 'load'; row: string}
  /** Calls timed for `ms`, each with a payload of `payloadBytes` (0: none). */
  | {op: 'round'; row: string; ms: number; payloadBytes: number}

export interface RoundResult {
  /** Samples in the round: calls, or batches of `batch` calls. */
  count: number
  batch: number
  /** Median and mean of the samples, per call. */
  medianNs: number
  meanNs: number
  histogram: HistogramData
}

export interface PrepareReply {
  buildMs?: number
  cached?: boolean
}

export interface ColdReply {
  ms: number
}

export interface LoadReply {
  ready: true
  /** Absent when this platform's RSS cannot be read. */
  rssBytes?: number
  /** What exactly the host measures, where a reader needs to know (a Go host's own notes). */
  notes?: string[]
}

export interface ErrorReply {
  error: {code: string; message: string}
}
