import {Args, Flags} from '@oclif/core'
import {SurveyCommand} from '../base-command.js'
import {REGRESSION_EXIT, thresholdFlag} from '../compare-flags.js'
import {renderComparisonMarkdown, renderComparisonText} from '../render/compare.js'
import {useColor} from '../render/style.js'
import {compareRuns, type Comparison} from '../report/compare.js'
import {mergeReports} from '../report/merge.js'
import {ReportFileError, readReportFile} from '../report/read.js'

export default class Compare extends SurveyCommand {
  static override description = `Compare two runs figure by figure: each row's call p50, cold start and paired ratios, and scale's figures (time until N plugins answered, memory per plugin, 1 / throughput at each C), old against new.

For each figure: the change as a factor with its 95% interval (the median of all pairwise ratios of the two runs' rounds, Hodges-Lehmann) and a Mann-Whitney U test on the rounds, as benchstat does; "~" when the change is not significant (p >= 0.05), "?" when either run has too few rounds to tell. Machines are matched by label (linux-x64, ...); two files of one machine each are compared whatever their labels. Rows whose status changed (a row that now fails) are listed.

Exit codes: 0 no regression; 3 a figure got significantly slower by more than --threshold percent; 2 usage error (a missing or unreadable file); 1 the tool failed.`

  static override examples = [
    '<%= config.bin %> compare main.json branch.json',
    '<%= config.bin %> compare previous/survey-Linux.json survey-Linux.json --threshold 25 --format markdown >> "$GITHUB_STEP_SUMMARY"',
  ]

  static override args = {
    old: Args.string({description: 'the baseline: a saved --json output of bench, scale or report', required: true}),
    new: Args.string({description: 'the run to judge against it', required: true}),
  }

  static override flags = {
    threshold: thresholdFlag(),
    format: Flags.string({options: ['text', 'markdown'], default: 'text', description: 'a terminal table, or markdown for a job summary or a pull-request comment'}),
  }

  async run(): Promise<Comparison> {
    const {args, flags} = await this.parse(Compare)
    const comparison = compareRuns(this.machines(args.old), this.machines(args.new), flags.threshold)
    if (!this.jsonEnabled()) this.log((flags.format === 'markdown' ? `${renderComparisonMarkdown(comparison)}\n` : renderComparisonText(comparison, {color: useColor()})).trimEnd())
    if (comparison.regressions > 0) process.exitCode = REGRESSION_EXIT
    return comparison
  }

  private machines(file: string) {
    try {
      return mergeReports(readReportFile(file))
    } catch (error) {
      if (error instanceof ReportFileError) this.usageError(error.message)
      throw error
    }
  }
}
