import {Flags} from '@oclif/core'
import {DEFAULT_START_TIMEOUT_MS} from '../transport/types.js'
import {SurveyCommand} from '../base-command.js'
import {mechanismIds, selectRows} from '../mechanisms/index.js'
import {runBench} from '../measure/bench.js'
import {benchSettings} from '../measure/settings.js'
import {renderBenchTable} from '../render/bench-table.js'
import {Progress} from '../render/progress.js'
import {useColor} from '../render/style.js'
import {newReport, saveReport} from '../report/report.js'
import type {SurveyReport} from '../results/types.js'

export default class Bench extends SurveyCommand {
  static override description = `Benchmark the sample plugin through every mechanism, side by side.

For each mechanism: cold start (nothing to the first correct answer, each sample from a fresh start), per-call latency (p50 with its 95% interval, p90, p99, p99.9 where the samples allow, the histogram; calls under 1 µs timed in batches and shown as "batch mean"), latency as the payload grows, resident memory of one loaded plugin, and the overhead over its transport's floor.

A row and its floor are loaded side by side in one measuring process and timed in alternating short rounds (A B, B A, ...), so both see the same machine state; the overhead is the median of the ratios of blocks of rounds (A B then B A) with its 95% interval. A ratio whose interval is wide, whose rounds disagree, or that comes out below its floor is flagged with the reason, and gets extra rounds within a time budget. Every answer is checked: a wrong answer fails the row. Each row gets a fresh measuring process.`

  static override examples = [
    '<%= config.bin %> bench',
    '<%= config.bin %> bench --quick --json > bench.json',
    '<%= config.bin %> bench --mechanism worker-thread --mechanism child-rpc',
    '<%= config.bin %> bench --mechanism in-process --plugin ./my-plugin.js',
  ]

  static override flags = {
    mechanism: Flags.string({char: 'm', multiple: true, options: [...mechanismIds], description: 'measure only this mechanism (repeatable); its floors are measured too'}),
    quick: Flags.boolean({char: 'q', description: 'a short run for CI: fewer samples, shorter timings'}),
    plugin: Flags.string({description: 'path of your own built plugin module (.js/.mjs) to load through the mechanisms that accept one'}),
    out: Flags.string({char: 'o', description: 'also write the JSON report to this file, updated after every row'}),
    'cold-samples': Flags.integer({min: 1, max: 1000, description: 'cold-start samples per row, all taken when given [default: 6 with --quick and 20 otherwise, as many as fit in 1 s (10 s), at least 3]'}),
    'call-time': Flags.integer({min: 10, max: 600_000, description: 'milliseconds of timed calls per row, split into its rounds [default: 160 with --quick, else 1440]'}),
    rounds: Flags.integer({min: 1, max: 1000, description: 'pairs of rounds per row (a round of the row beside a round of its floor) [default: 20 with --quick, else 24; the ratios come from blocks of two pairs]'}),
    'extra-time': Flags.integer({min: 0, max: 600_000, description: 'milliseconds a row may spend on extra pairs of rounds while a ratio of it is flagged unstable (0: none) [default: 200 with --quick, else 4000]'}),
    'no-floors': Flags.boolean({description: 'skip the floor rows (ratios are then not computed)'}),
  }

  async run(): Promise<SurveyReport> {
    const {flags} = await this.parse(Bench)
    const pluginPath = this.pluginPath(flags.plugin)
    const settings = benchSettings(flags.quick, {coldStartSamples: flags['cold-samples'], rounds: flags.rounds, extraRoundsMs: flags['extra-time'], callTimeMs: flags['call-time']})
    const rows = selectRows(flags.mechanism ?? [], !flags['no-floors'])
    const report = newReport({...settings, mechanisms: rows.map((r) => r.id), plugin: pluginPath ?? 'sample'})
    const progress = new Progress(process.stderr)
    report.bench = await runBench(rows, settings, {pluginPath, startTimeoutMs: DEFAULT_START_TIMEOUT_MS}, {
      onProgress: (row, index, total, message) => progress.update(`[${index + 1}/${total}] ${row.id}: ${message}`),
      onRow: (finished) => {
        report.bench = finished
        if (flags.out) saveReport(flags.out, report)
      },
    })
    progress.done()
    report.finishedAt = new Date().toISOString()
    if (flags.out) saveReport(flags.out, report)
    if (!this.jsonEnabled()) this.log(renderBenchTable(report, {color: useColor()}).trimEnd())
    return report
  }
}
