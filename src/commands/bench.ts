import {existsSync} from 'node:fs'
import path from 'node:path'
import {Flags} from '@oclif/core'
import {SurveyCommand} from '../base-command.js'
import {mechanismIds, selectRows} from '../mechanisms/index.js'
import {runBench} from '../measure/bench.js'
import {benchSettings} from '../measure/settings.js'
import {renderBenchTable} from '../render/bench-table.js'
import {Progress} from '../render/progress.js'
import {useColor} from '../render/style.js'
import {newReport, saveReport} from '../report/report.js'
import type {SurveyReport} from '../results/types.js'
import {DEFAULT_START_TIMEOUT_MS} from '../transport/types.js'

export default class Bench extends SurveyCommand {
  static override description = `Benchmark the sample plugin through every mechanism, side by side.

For each mechanism: cold start (nothing to the first correct answer, each sample from a fresh start), per-call latency (p50, p99, mean, ops/s, rme; sub-microsecond calls batched), latency as the payload grows, resident memory of one loaded plugin, and the overhead over its transport's floor, measured in the same run. Every answer is checked: a wrong answer fails the row. Each row is measured in a fresh host process.`

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
    'cold-samples': Flags.integer({min: 1, max: 1000, description: 'cold-start samples per mechanism [default: 5 with --quick, else 20]'}),
    'call-time': Flags.integer({min: 10, max: 600_000, description: 'milliseconds of timed calls per mechanism [default: 400 with --quick, else 3000]'}),
    'no-floors': Flags.boolean({description: 'skip the floor rows (ratios are then not computed)'}),
  }

  async run(): Promise<SurveyReport> {
    const {flags} = await this.parse(Bench)
    let pluginPath: string | undefined
    if (flags.plugin !== undefined) {
      pluginPath = path.resolve(flags.plugin)
      if (!existsSync(pluginPath)) this.usageError(`plugin not found: ${pluginPath}. Give the path of a built ES module exporting PluginInputNumber and KnownPluginFunction.`)
    }
    const settings = benchSettings(flags.quick, {coldStartSamples: flags['cold-samples'], callTimeMs: flags['call-time']})
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
