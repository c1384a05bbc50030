// Reading a row's paired ratios: its overhead over a floor, or its ratio to another row.
import type {PairedRatio, RatioFigure} from '../results/figures.js'
import type {BenchRowOk} from '../results/types.js'

/** The row's ratio of `figure` against `against`, or against its floor when none is named. */
export function ratioOf(row: BenchRowOk, figure: RatioFigure, against?: string): PairedRatio | undefined {
  return row.ratios?.find((r) => r.figure === figure && (against === undefined ? r.kind === 'floor' : r.against === against))
}

/** Whether any of the row's ratios carries a stability flag. */
export function isFlagged(row: BenchRowOk): boolean {
  return (row.ratios ?? []).some((r) => r.flags.length > 0)
}
