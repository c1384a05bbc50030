import {writeFileAtomic} from '../core/atomic-write.js'
import {DEFAULT_START_TIMEOUT_MS} from '../transport/types.js'
import {appendFileSync, existsSync, statSync} from 'node:fs'
import {Flags} from '@oclif/core'
import {SurveyCommand} from '../base-command.js'
import {REGRESSION_EXIT, thresholdFlag} from '../compare-flags.js'
import {mechanismIds, mechanisms, selectRows} from '../mechanisms/index.js'
import {runBench} from '../measure/bench.js'
import {runCrashTest} from '../measure/crash/crash-test.js'
import {DEFAULT_CRASH_SETTINGS} from '../measure/crash/settings.js'
import {runScale, selectScaleRows} from '../measure/scale/scale.js'
import {scaleSettings} from '../measure/scale/settings.js'
import {benchSettings} from '../measure/settings.js'
import {renderBenchmarkAction} from '../render/benchmark-action.js'
import {fitMarkdown, renderMarkdown, reportSections} from '../render/markdown.js'
import {Progress} from '../render/progress.js'
import {countAuthoring, type Authoring} from '../report/authoring.js'
import {evaluateClaims, type ClaimResult} from '../report/claims/index.js'
import {compareRuns, type Comparison} from '../report/compare.js'
import {mergeReports, type LabelledReport, type Machine} from '../report/merge.js'
import {ReportFileError, readReportFile} from '../report/read.js'
import {newReport} from '../report/report.js'
import type {SurveyReport} from '../results/types.js'

/** GitHub's limit for the job summary of one step. */
export const STEP_SUMMARY_LIMIT_BYTES = 1024 * 1024


export type ReportDocument = SurveyReport & {claims: ClaimResult[]; authoring: Authoring[]; machines?: SurveyReport[]; comparison?: Comparison}

/** The `--json` document: one machine's report as it is, several under `machines`; with the claims judged, the author lines they use, and the comparison with a baseline. */
export function reportDocument(machines: readonly Machine[], comparison?: Comparison, authoring: Authoring[] = countAuthoring()): ReportDocument {
  const claims = evaluateClaims(machines, authoring)
  const compared = comparison ? {comparison} : {}
  if (machines.length === 1) return {...machines[0]!.report, claims, authoring, ...compared}
  // Several machines: the top level describes the merge itself (where and when it ran); each machine keeps its own.
  return {...newReport(), machines: machines.map((m) => m.report), claims, authoring, ...compared}
}

type Format = 'markdown' | 'html' | 'json' | 'benchmark-action'

type Renderer = (machines: readonly Machine[], comparison?: Comparison) => string

const RENDERERS: Record<Exclude<Format, 'html'>, Renderer> = {
  markdown: renderMarkdown,
  json: (machines, comparison) => `${JSON.stringify(reportDocument(machines, comparison), null, 2)}\n`,
  'benchmark-action': renderBenchmarkAction,
}

// The HTML renderer brings jsdom and Observable Plot: loaded only when it is asked for.
async function renderer(format: Format): Promise<Renderer> {
  return format === 'html' ? (await import('../render/html/page.js')).renderHtml : RENDERERS[format]
}

export default class Report extends SurveyCommand {
  static override description = `Write the survey as a markdown (or HTML) report: environment, summary, each row beside the survey's three mechanisms, latency, payload scaling, crash matrix, platform support and the survey's claims with a verdict each.

Without --from it runs bench and crash-test here first (--no-crash-test for bench alone, --scale to add scale). With --from it reads saved --json outputs of bench, crash-test or report instead; files from several machines merge into one report with a column per machine. With --baseline FILE it adds each figure's change since that run, as \`compare\` does. When GITHUB_STEP_SUMMARY is set (GitHub Actions) the markdown is also appended there, shortened to stay under GitHub's 1 MiB limit.

Exit codes: 0 done (a plugin crashing is a finding); 3 with --baseline, a figure got significantly slower by more than --threshold percent; 2 usage error; 1 the tool failed (or crash-test stopped early).`

  static override examples = [
    '<%= config.bin %> report --quick --out report.md',
    '<%= config.bin %> report --quick --json > survey-linux.json',
    '<%= config.bin %> report --from survey-linux.json --from survey-macos.json --from survey-windows.json --out report.md',
    '<%= config.bin %> report --from survey-linux.json --from survey-macos.json --format html --out report.html',
    '<%= config.bin %> report --from bench.json --format benchmark-action --out benchmark.json',
    '<%= config.bin %> report --quick --baseline previous/survey-linux.json --threshold 25 --out report.md',
  ]

  static override flags = {
    from: Flags.string({char: 'f', multiple: true, description: 'read a saved --json output of bench, crash-test or report instead of measuring (repeatable: one file per machine, or a bench and a crash-test of one machine)'}),
    out: Flags.string({char: 'o', description: 'write the report to this file instead of stdout'}),
    format: Flags.string({options: ['markdown', 'html', 'json', 'benchmark-action'], default: 'markdown', description: "what to write: the markdown report, the same report as one self-contained HTML page (charts as inline SVG, nothing loaded when viewed), the JSON document, or github-action-benchmark's customSmallerIsBetter input"}),
    quick: Flags.boolean({char: 'q', exclusive: ['from'], description: 'a short run for CI when measuring here: fewer samples, shorter timings'}),
    mechanism: Flags.string({char: 'm', multiple: true, exclusive: ['from'], options: [...mechanismIds], description: 'measure only this mechanism when measuring here (repeatable)'}),
    'crash-test': Flags.boolean({default: true, allowNo: true, description: 'when measuring here, also run crash-test (the fault matrix, hot reload and orphans) after bench'}),
    scale: Flags.boolean({default: false, allowNo: true, exclusive: ['from'], description: 'when measuring here, also run scale (plugins at once, calls in flight) at the end'}),
    'step-summary': Flags.boolean({default: true, allowNo: true, description: 'append the markdown to $GITHUB_STEP_SUMMARY when it is set'}),
    baseline: Flags.string({description: `a saved --json output of an earlier run: the report gets a section with each figure's change since it (as \`compare\` does), and the exit code is ${REGRESSION_EXIT} on a significant regression beyond --threshold`}),
    threshold: thresholdFlag({description: `with --baseline: a significant slow-down larger than this many percent is a regression (exit ${REGRESSION_EXIT})`}),
  }

  async run(): Promise<ReportDocument> {
    const {flags} = await this.parse(Report)
    const render = await renderer(flags.format as Format)
    // Read before measuring: a wrong baseline path is a usage error now, not after minutes of measuring.
    const baseline = flags.baseline === undefined ? undefined : mergeReports(this.readFiles([flags.baseline]))
    // Measuring here, --out is rewritten after every row, so a run killed late (a CI timeout) keeps what it measured.
    const saveSoFar = (report: SurveyReport) => flags.out && writeFileAtomic(flags.out, render(mergeReports([{report}])))
    const machines = mergeReports(flags.from ? this.readFiles(flags.from) : [{report: await this.measure(flags.quick, flags.mechanism ?? [], {crashTest: flags['crash-test'], scale: flags.scale}, saveSoFar)}])
    const comparison = baseline && compareRuns(baseline, machines, flags.threshold)
    const document = reportDocument(machines, comparison)
    const output = render(machines, comparison)
    if (flags.out) writeFileAtomic(flags.out, output)
    else if (!this.jsonEnabled()) process.stdout.write(output)
    const summaryFile = process.env.GITHUB_STEP_SUMMARY
    if (flags['step-summary'] && summaryFile) this.appendStepSummary(summaryFile, machines, flags.out, comparison)
    if (comparison && comparison.regressions > 0) process.exitCode = REGRESSION_EXIT
    return document
  }

  private readFiles(files: readonly string[]): LabelledReport[] {
    try {
      return files.flatMap((file) => readReportFile(file))
    } catch (error) {
      if (error instanceof ReportFileError) this.usageError(error.message)
      throw error
    }
  }

  private async measure(quick: boolean, ids: readonly string[], also: {crashTest: boolean; scale: boolean}, onUpdate: (report: SurveyReport) => void): Promise<SurveyReport> {
    const withCrashTest = also.crashTest
    const settings = benchSettings(quick)
    const rows = selectRows(ids)
    const chosen = ids.length === 0 ? mechanisms : mechanisms.filter((m) => ids.includes(m.id))
    const report = newReport({...settings, mechanisms: rows.map((r) => r.id), plugin: 'sample', crashTest: withCrashTest})
    const progress = new Progress(process.stderr)
    report.bench = await runBench(rows, settings, {startTimeoutMs: DEFAULT_START_TIMEOUT_MS}, {
      onProgress: (row, index, total, message) => progress.update(`bench [${index + 1}/${total}] ${row.id}: ${message}`),
      onRow: (finished) => onUpdate({...report, bench: finished}),
    })
    if (withCrashTest) {
      try {
        await runCrashTest(
          {mechanisms: chosen, faults: [], settings: DEFAULT_CRASH_SETTINGS, hotReload: true, orphans: true, features: true},
          {
            onProgress: (message) => progress.update(`crash-test ${message}`),
            onResult: (partial) => onUpdate(Object.assign(report, partial)),
          },
        )
      } catch (error) {
        // Bench and the probes that finished are still reported; the exit code says the run is incomplete.
        progress.done()
        this.warn(`crash-test stopped early (${error instanceof Error ? error.message : String(error)}): the report has bench and the crash-test probes that finished before it.`)
        process.exitCode = 1
      }
    }
    if (also.scale) {
      const scaleRows = selectScaleRows(ids)
      report.settings = {...report.settings, scale: scaleSettings(quick)}
      report.scale = await runScale(scaleRows, scaleSettings(quick), {}, {
        onProgress: (row, index, total, message) => progress.update(`scale [${index + 1}/${total}] ${row.id}: ${message}`),
        onRow: (finished) => onUpdate({...report, scale: finished}),
      })
    }
    progress.done()
    report.finishedAt = new Date().toISOString()
    return report
  }

  private appendStepSummary(file: string, machines: readonly Machine[], out: string | undefined, comparison?: Comparison): void {
    const used = existsSync(file) ? statSync(file).size : 0
    const room = STEP_SUMMARY_LIMIT_BYTES - used
    const full = out ? `the full report is in ${out}` : 'run `plugin-survey report --out FILE` for the full report'
    const markdown = fitMarkdown(reportSections(machines, comparison), room, `to keep this step's job summary under GitHub's 1 MiB limit: ${full}`)
    if (Buffer.byteLength(markdown) > room) {
      this.warn(`GITHUB_STEP_SUMMARY already holds ${used} bytes: no room left for the report under GitHub's 1 MiB limit.`)
      return
    }
    appendFileSync(file, markdown)
  }
}
