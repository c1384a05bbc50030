import {Flags} from '@oclif/core'
import {SurveyCommand} from '../base-command.js'
import {runScale, scaleRowIds, selectScaleRows} from '../measure/scale/scale.js'
import {scaleSettings} from '../measure/scale/settings.js'
import {Progress} from '../render/progress.js'
import {renderScaleTable} from '../render/scale-table.js'
import {useColor} from '../render/style.js'
import {newReport, saveReport} from '../report/report.js'
import type {SurveyReport} from '../results/types.js'

export default class Scale extends SurveyCommand {
  static override description = `Measure how each mechanism's cost grows with the work: many plugins loaded at once, many calls in flight.

Plugins at once (N = 1, 10, 50; --quick: 1, 10): N instances of the sample loaded together in a fresh host, the time until all N answered, the resident memory of the host's whole process tree before and after (per plugin: the growth divided by N), and a second exact answer from each. A row that cannot hold N says why (compiled-in), or shows it (go-stdlib-plugin: N loads give one plugin).

Calls in flight (C = 1, 8, 64): C callers on one loaded plugin, each starting its next call when its last answered, every answer checked against its own input: throughput (calls/s over the run's wall time, with the slowest and fastest of five windows), p50 and p99 per call, and the gain over C=1. Rows hosted in Go are driven by their own Go host (C goroutines).

Floors are measured the same way in the same run, so each row's scaling is set against its transport's. A wrong answer fails the row.`

  static override examples = [
    '<%= config.bin %> scale --quick',
    '<%= config.bin %> scale --json --out scale.json',
    '<%= config.bin %> scale --mechanism child-rpc --mechanism worker-thread --instances 100 --concurrency 1 --concurrency 256',
    '<%= config.bin %> report --from bench.json --from scale.json --out report.md',
  ]

  static override flags = {
    mechanism: Flags.string({char: 'm', multiple: true, options: scaleRowIds, description: 'measure only this row (repeatable); its floor is measured too'}),
    quick: Flags.boolean({char: 'q', description: 'a short run for CI: N = 1 and 10, shorter call runs'}),
    instances: Flags.integer({char: 'n', multiple: true, min: 1, max: 1000, description: 'N: plugins loaded at once (repeatable) [default: 1, 10, 50; with --quick 1, 10]'}),
    concurrency: Flags.integer({char: 'c', multiple: true, min: 1, max: 4096, description: 'C: calls in flight on one plugin (repeatable) [default: 1, 8, 64]'}),
    'call-time': Flags.integer({min: 10, max: 600_000, description: 'milliseconds of each C run [default: 100 with --quick, else 1000]'}),
    plugin: Flags.string({description: 'path of your own built plugin module (.js/.mjs) to load through the rows that accept one'}),
    out: Flags.string({char: 'o', description: 'also write the JSON report to this file, updated after every row'}),
    'no-floors': Flags.boolean({description: 'skip the floor rows (ratios are then not computed)'}),
  }

  async run(): Promise<SurveyReport> {
    const {flags} = await this.parse(Scale)
    const pluginPath = this.pluginPath(flags.plugin)
    const ascending = (values: number[] | undefined) => (values === undefined ? undefined : [...new Set(values)].sort((a, b) => a - b))
    const settings = scaleSettings(flags.quick === true, {instanceCounts: ascending(flags.instances), concurrency: ascending(flags.concurrency), callTimeMs: flags['call-time']})
    const rows = selectScaleRows(flags.mechanism ?? [], !flags['no-floors'])
    const report = newReport({quick: settings.quick, scale: settings, mechanisms: rows.map((r) => r.id), plugin: pluginPath ?? 'sample'})
    const progress = new Progress(process.stderr)
    report.scale = await runScale(rows, settings, {pluginPath}, {
      onProgress: (row, index, total, message) => progress.update(`[${index + 1}/${total}] ${row.id}: ${message}`),
      onRow: (finished) => {
        report.scale = finished
        if (flags.out) saveReport(flags.out, report)
      },
    })
    progress.done()
    report.finishedAt = new Date().toISOString()
    if (flags.out) saveReport(flags.out, report)
    if (!this.jsonEnabled()) this.log(renderScaleTable(report, {color: useColor()}).trimEnd())
    return report
  }
}
