import {appendFileSync, existsSync, renameSync, statSync, writeFileSync} from 'node:fs'
import {Flags} from '@oclif/core'
import {SurveyCommand} from '../base-command.js'
import {mechanismIds, mechanisms, selectRows} from '../mechanisms/index.js'
import {runBench} from '../measure/bench.js'
import {runCrashTest} from '../measure/crash/crash-test.js'
import {DEFAULT_CRASH_SETTINGS} from '../measure/crash/settings.js'
import {benchSettings} from '../measure/settings.js'
import {renderBenchmarkAction} from '../render/benchmark-action.js'
import {fitMarkdown, renderMarkdown, reportSections} from '../render/markdown.js'
import {Progress} from '../render/progress.js'
import {countAuthoring, type Authoring} from '../report/authoring.js'
import {evaluateClaims, type ClaimResult} from '../report/claims/index.js'
import {mergeReports, type LabelledReport, type Machine} from '../report/merge.js'
import {ReportFileError, readReportFile} from '../report/read.js'
import {newReport} from '../report/report.js'
import type {SurveyReport} from '../report/types.js'

/** GitHub's limit for the job summary of one step. */
export const STEP_SUMMARY_LIMIT_BYTES = 1024 * 1024

/** Replaces the file in one step: a run killed mid-write never leaves half a report. */
function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`
  writeFileSync(temporary, text)
  renameSync(temporary, file)
}

export type ReportDocument = SurveyReport & {claims: ClaimResult[]; authoring: Authoring[]; machines?: SurveyReport[]}

/** The `--json` document: one machine's report as it is, several under `machines`; with the claims judged and the author lines they use. */
export function reportDocument(machines: readonly Machine[], authoring: Authoring[] = countAuthoring()): ReportDocument {
  const claims = evaluateClaims(machines, authoring)
  if (machines.length === 1) return {...machines[0]!.report, claims, authoring}
  // Several machines: the top level describes the merge itself (where and when it ran); each machine keeps its own.
  return {...newReport(), machines: machines.map((m) => m.report), claims, authoring}
}

type Format = 'markdown' | 'html' | 'json' | 'benchmark-action'

type Renderer = (machines: readonly Machine[]) => string

const RENDERERS: Record<Exclude<Format, 'html'>, Renderer> = {
  markdown: renderMarkdown,
  json: (machines) => `${JSON.stringify(reportDocument(machines), null, 2)}\n`,
  'benchmark-action': renderBenchmarkAction,
}

// The HTML renderer brings jsdom and Observable Plot: loaded only when it is asked for.
async function renderer(format: Format): Promise<Renderer> {
  return format === 'html' ? (await import('../render/html/page.js')).renderHtml : RENDERERS[format]
}

export default class Report extends SurveyCommand {
  static override description = `Write the survey as a markdown (or HTML) report: environment, summary, latency, payload scaling, crash matrix, platform support and the survey's claims with a verdict each.

Without --from it runs bench and crash-test here first (--no-crash-test for bench alone). With --from it reads saved --json outputs of bench, crash-test or report instead; files from several machines merge into one report with a column per machine. When GITHUB_STEP_SUMMARY is set (GitHub Actions) the markdown is also appended there, shortened to stay under GitHub's 1 MiB limit.`

  static override examples = [
    '<%= config.bin %> report --quick --out report.md',
    '<%= config.bin %> report --quick --json > survey-linux.json',
    '<%= config.bin %> report --from survey-linux.json --from survey-macos.json --from survey-windows.json --out report.md',
    '<%= config.bin %> report --from survey-linux.json --from survey-macos.json --format html --out report.html',
    '<%= config.bin %> report --from bench.json --format benchmark-action --out benchmark.json',
  ]

  static override flags = {
    from: Flags.string({char: 'f', multiple: true, description: 'read a saved --json output of bench, crash-test or report instead of measuring (repeatable: one file per machine, or a bench and a crash-test of one machine)'}),
    out: Flags.string({char: 'o', description: 'write the report to this file instead of stdout'}),
    format: Flags.string({options: ['markdown', 'html', 'json', 'benchmark-action'], default: 'markdown', description: "what to write: the markdown report, the same report as one self-contained HTML page (charts as inline SVG, nothing loaded when viewed), the JSON document, or github-action-benchmark's customSmallerIsBetter input"}),
    quick: Flags.boolean({char: 'q', exclusive: ['from'], description: 'a short run for CI when measuring here: fewer samples, shorter timings'}),
    mechanism: Flags.string({char: 'm', multiple: true, exclusive: ['from'], options: [...mechanismIds], description: 'measure only this mechanism when measuring here (repeatable)'}),
    'crash-test': Flags.boolean({default: true, allowNo: true, description: 'when measuring here, also run crash-test (the fault matrix, hot reload and orphans) after bench'}),
    'step-summary': Flags.boolean({default: true, allowNo: true, description: 'append the markdown to $GITHUB_STEP_SUMMARY when it is set'}),
  }

  async run(): Promise<ReportDocument> {
    const {flags} = await this.parse(Report)
    const render = await renderer(flags.format as Format)
    // Measuring here, --out is rewritten after every row, so a run killed late (a CI timeout) keeps what it measured.
    const saveSoFar = (report: SurveyReport) => flags.out && writeAtomically(flags.out, render(mergeReports([{report}])))
    const machines = mergeReports(flags.from ? this.readFiles(flags.from) : [{report: await this.measure(flags.quick, flags.mechanism ?? [], flags['crash-test'], saveSoFar)}])
    const document = reportDocument(machines)
    const output = render(machines)
    if (flags.out) writeAtomically(flags.out, output)
    else if (!this.jsonEnabled()) process.stdout.write(output)
    const summaryFile = process.env.GITHUB_STEP_SUMMARY
    if (flags['step-summary'] && summaryFile) this.appendStepSummary(summaryFile, machines, flags.out)
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

  private async measure(quick: boolean, ids: readonly string[], withCrashTest: boolean, onUpdate: (report: SurveyReport) => void): Promise<SurveyReport> {
    const settings = benchSettings(quick)
    const rows = selectRows(ids)
    const chosen = ids.length === 0 ? mechanisms : mechanisms.filter((m) => ids.includes(m.id))
    const report = newReport({...settings, mechanisms: rows.map((r) => r.id), plugin: 'sample', crashTest: withCrashTest})
    const progress = new Progress(process.stderr)
    report.bench = await runBench(rows, settings, {startTimeoutMs: 60_000}, {
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
    progress.done()
    report.finishedAt = new Date().toISOString()
    return report
  }

  private appendStepSummary(file: string, machines: readonly Machine[], out: string | undefined): void {
    const used = existsSync(file) ? statSync(file).size : 0
    const room = STEP_SUMMARY_LIMIT_BYTES - used
    const full = out ? `the full report is in ${out}` : 'run `plugin-survey report --out FILE` for the full report'
    const markdown = fitMarkdown(reportSections(machines), room, `to keep this step's job summary under GitHub's 1 MiB limit: ${full}`)
    if (Buffer.byteLength(markdown) > room) {
      this.warn(`GITHUB_STEP_SUMMARY already holds ${used} bytes: no room left for the report under GitHub's 1 MiB limit.`)
      return
    }
    appendFileSync(file, markdown)
  }
}
