/** How long and how often the harness measures; `--quick` picks the short set for CI. */
export interface BenchSettings {
  quick: boolean
  /** Cold-start samples per row (paired with its cold-start floor's, one by one). */
  coldStartSamples: number
  /** Time cold starts may take per row, extra pairs for a flagged ratio included, once `coldStartMinimum` are taken. */
  coldStartBudgetMs: number
  coldStartMinimum: number
  /** Pairs of call rounds per row: a round of the row next to a round of its floor, in alternating order. */
  rounds: number
  /** Duration of one round of calls, in ms. */
  roundMs: number
  /** Duration of the warm-up round each loaded plugin gets before its first measured round, in ms. */
  warmupMs: number
  payloadSizes: number[]
  /** Duration of each payload size's round, in ms. */
  payloadRoundMs: number
  /** Time a row may spend on extra pairs of rounds while its ratio is flagged unstable, in ms (0: none). */
  extraRoundsMs: number
}

export const DEFAULT_PAYLOAD_SIZES = [16, 1024, 64 * 1024, 1024 * 1024]

export interface SettingOverrides extends Partial<BenchSettings> {
  /** Milliseconds of timed calls per row, split into its rounds (`--call-time`). */
  callTimeMs?: number
}

export function benchSettings(quick: boolean, overrides: SettingOverrides = {}): BenchSettings {
  const base: BenchSettings = quick
    ? {quick, coldStartSamples: 6, coldStartBudgetMs: 1000, coldStartMinimum: 3, rounds: 20, roundMs: 8, warmupMs: 10, payloadSizes: DEFAULT_PAYLOAD_SIZES, payloadRoundMs: 15, extraRoundsMs: 200}
    : {quick, coldStartSamples: 20, coldStartBudgetMs: 10_000, coldStartMinimum: 3, rounds: 24, roundMs: 60, warmupMs: 150, payloadSizes: DEFAULT_PAYLOAD_SIZES, payloadRoundMs: 150, extraRoundsMs: 4000}
  const {callTimeMs, ...rest} = overrides
  const settings = {...base, ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined))}
  if (callTimeMs !== undefined) settings.roundMs = Math.max(1, Math.round(callTimeMs / settings.rounds))
  // Cold-start samples asked for by number are all taken, however long they take.
  if (rest.coldStartSamples !== undefined && rest.coldStartMinimum === undefined) settings.coldStartMinimum = rest.coldStartSamples
  return settings
}
