import type {Row} from '../mechanisms/row.js'

/** How long and how often the harness measures; `--quick` picks the short set for CI. */
export interface BenchSettings {
  quick: boolean
  coldStartSamples: number
  /** Time budget of one tinybench run of calls, in ms. */
  callTimeMs: number
  warmupTimeMs: number
  payloadSizes: number[]
  /** Time budget of each payload size's run, in ms. */
  payloadTimeMs: number
}

export const DEFAULT_PAYLOAD_SIZES = [16, 1024, 64 * 1024, 1024 * 1024]

export function benchSettings(quick: boolean, overrides: Partial<BenchSettings> = {}): BenchSettings {
  const base: BenchSettings = quick
    ? {quick, coldStartSamples: 5, callTimeMs: 400, warmupTimeMs: 100, payloadSizes: DEFAULT_PAYLOAD_SIZES, payloadTimeMs: 120}
    : {quick, coldStartSamples: 20, callTimeMs: 3000, warmupTimeMs: 500, payloadSizes: DEFAULT_PAYLOAD_SIZES, payloadTimeMs: 800}
  return {...base, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined))}
}

/** Longest one row's measurement may take, whatever measures it, before it is killed. */
export function rowDeadlineMs(settings: BenchSettings): number {
  return (settings.quick ? 60 : 300) * 1000 + settings.coldStartSamples * 5000
}

/** The identity every bench row of this row starts with. */
export function benchBase(row: Row): {mechanism: string; family: Row['family']; title: string; floor?: string} {
  return {mechanism: row.id, family: row.family, title: row.title, ...(row.floors?.call ? {floor: row.floors.call} : {})}
}
