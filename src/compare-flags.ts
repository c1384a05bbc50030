// compare's regression contract, shared by the compare and report commands.
import {Errors, Flags} from '@oclif/core'
import {DEFAULT_THRESHOLD_PCT} from './report/compare.js'

/** The exit code of a run with a significant regression beyond the threshold. */
export const REGRESSION_EXIT = 3

export const thresholdFlag = Flags.custom<number>({
  description: `a significant slow-down larger than this many percent is a regression (exit ${REGRESSION_EXIT})`,
  default: DEFAULT_THRESHOLD_PCT,
  async parse(input) {
    const value = Number(input)
    // A CLIError exits 2, as oclif's own flag errors do.
    if (input.trim() === '' || !Number.isFinite(value) || value < 0) throw new Errors.CLIError(`--threshold must be a percentage of 0 or more, like 10 or 2.5; got ${JSON.stringify(input)}`)
    return value
  },
})
