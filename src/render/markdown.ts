// The report as GitHub-flavoured markdown: a pure function of the machines' reports. Sections are data, so the
// job-summary writer can leave the least important ones out to stay under GitHub's size limit.
import {countAuthoring, type Authoring} from '../report/authoring.js'
import {evaluateClaims, type ClaimResult, type Verdict} from '../report/claims/index.js'
import {benchRow, crashRows, hotReloadResults, loggingResults, mechanismsOf, orphanResults, probedCells, terminalResults, versionResults, type MeasuredHotReload, type Machine} from '../report/merge.js'
import {placementTable, type RowPlacement} from '../report/placement.js'
import {PLATFORMS, contradicts, detected, documentedMechanisms, documentedPlatforms, documentedSupport, platformOf, type Detected} from '../report/platforms.js'
import type {BenchRow, BenchRowFailed, BenchRowFinding, BenchRowOk, BenchRowSkipped, CrashRow, CrashRowFailed, CrashRowProbed, CrashRowSkipped, LibraryVersions, OrphanRowOk, Placement, SurveySubject} from '../results/types.js'
import {barChart, crashGrid, distributionChart, payloadChart, type Metric} from './chart-data.js'
import {barCharts, barLegend, payloadCharts} from './charts.js'
import {claimWords} from './claims.js'
import {describeOrphanPlugin, describeTerminals, describeVersionCase, expectedCodes} from './crash-words.js'
import {formatBytes, formatCount, formatMs, formatNs, formatRatio} from './format.js'
import {code, notMeasured, table, type Block} from './markdown-parts.js'
import {scaleSection} from './scale-markdown.js'
import type {Comparison} from '../report/compare.js'
import {ratioOf} from '../report/ratios.js'
import {renderComparisonMarkdown} from './compare.js'
import {callFigure, coldTail, flagLines, intervalFigure, modesText, ratioFigure, tailFigure} from './figures.js'
import {histogramLines} from './histogram-text.js'

export type {Block}

export interface Section {
  id: string
  /** The section as markdown, starting with its heading. */
  markdown: string
  /** The same content in order, with its figures as data. */
  blocks: Block[]
  /** Sections with a higher rank are left out first when the report must shrink. */
  dropRank: number
  heading: string
}

export const blockMarkdown = (block: Block) => (typeof block === 'string' ? block : block.markdown)
const joinBlocks = (blocks: readonly Block[]) => blocks.map(blockMarkdown).join('\n\n')


const okRow = (row: BenchRow | undefined): row is BenchRowOk => row?.status === 'ok'

function statusCell(row: BenchRow | undefined): string {
  if (!row) return 'not tried'
  if (row.status === 'ok' || row.status === 'finding') return 'ok'
  return row.status === 'skipped' ? 'skipped' : `failed${row.errorCode ? ` (${row.errorCode})` : ''}`
}

/** Splits content per machine under a sub-heading when there are several. */
function perMachine(machines: readonly Machine[], render: (machine: Machine) => string): string {
  return joinBlocks(perMachineBlocks(machines, (machine) => [render(machine)]))
}

function perMachineBlocks(machines: readonly Machine[], render: (machine: Machine) => Block[]): Block[] {
  if (machines.length === 1) return render(machines[0]!)
  return machines.flatMap((machine) => [`### ${machine.label}`, ...render(machine)])
}

const libraryVersion = (name: keyof LibraryVersions) => (m: Machine) => {
  const versions = m.report.host.versions
  return versions === undefined ? 'not recorded' : (versions[name] ?? 'not found')
}

function environment(machines: readonly Machine[]): string {
  const rows: [string, (m: Machine) => string][] = [
    ['OS', (m) => `${m.report.host.os} ${m.report.host.release}`],
    ['arch', (m) => m.report.host.arch],
    ['Node', (m) => m.report.host.node],
    ['Go', (m) => m.report.host.go ?? 'not found'],
    ['go-plugin', libraryVersion('goPlugin')],
    ['grpc-go', libraryVersion('grpcGo')],
    ['wazero', libraryVersion('wazero')],
    ['grpc-js', libraryVersion('grpcJs')],
    ['CPU', (m) => `${m.report.host.cpuModel} × ${m.report.host.cpuCount}`],
    ['memory', (m) => formatBytes(m.report.host.memoryBytes)],
    ['container', (m) => (m.report.host.container ? 'yes' : 'no')],
    ['settings', (m) => (m.report.settings?.quick === true ? 'quick' : m.report.settings?.quick === false ? 'full' : '-')],
    ['started', (m) => m.report.startedAt],
    ['read from', (m) => (m.sources.length > 0 ? m.sources.join(', ') : 'this run')],
  ]
  return `## Environment\n\n${table(['', ...machines.map((m) => m.label)], rows.map(([name, cell]) => [name, ...machines.map(cell)]))}`
}

function faultsCell(machine: Machine, mechanism: string): string {
  if (machine.report.crash === undefined) return 'not measured'
  const rows = probedCells(crashRows(machine, mechanism))
  if (rows.length === 0) return '-'
  const survived = rows.filter((row) => row.hostSurvived).length
  const unexpected = rows.filter((row) => !row.asExpected).length
  return `${survived}/${rows.length}${unexpected > 0 ? ` (${unexpected} unexpected)` : ''}`
}

function summaryTable(machine: Machine): string {
  const ids = mechanismsOf([machine], {floors: false})
  if (ids.length === 0) return notMeasured('no bench or crash-test rows', 'plugin-survey bench')
  const rows = ids.map((id) => {
    const row = benchRow(machine, id)
    const ok = okRow(row) ? row : undefined
    const overhead = ok && ratioOf(ok, 'call')
    const vsFloor = overhead ? `${ratioFigure(overhead)} ${overhead.against}` : '-'
    const call = ok?.call
    return [code(id), statusCell(row), formatMs(ok?.coldStart?.p50Ms), call ? callFigure(call, call.p50Ns) : '-', call ? tailFigure(call, 'p99Ns') : '-', vsFloor, faultsCell(machine, id), documentedPlatforms(id) ?? 'not documented']
  })
  const out = [table(['mechanism', 'status', 'cold start p50', 'call p50', 'call p99', 'call vs floor', 'faults survived', 'platforms (documented)'], rows)]
  const flagged = flagLines(okRows(machine))
  if (flagged.length > 0) out.push(flagged.map((line) => `- ${line}`).join('\n'))
  const notOk = (machine.report.bench ?? []).filter((row): row is BenchRowSkipped | BenchRowFailed => row.status === 'skipped' || row.status === 'failed')
  const findings = (machine.report.bench ?? []).filter((row): row is BenchRowFinding => row.status === 'finding')
  if (findings.length > 0) out.push(findings.map((row) => `- ${code(row.mechanism)} found: ${row.finding}`).join('\n'))
  if (notOk.length > 0) out.push(notOk.map((row) => `- ${code(row.mechanism)} ${row.status}: ${row.reason}`).join('\n'))
  if (machine.report.bench === undefined) out.push(notMeasured('latency', 'plugin-survey bench'))
  if (machine.report.crash === undefined) out.push(notMeasured('faults survived', 'plugin-survey crash-test'))
  return out.join('\n\n')
}

function summary(machines: readonly Machine[]): string {
  return `## Summary\n\nOne row per mechanism. *vs floor*: the row's call p50 over the p50 of the bare transport it uses, measured in alternating rounds of the same run: the median of the ratios of blocks of rounds (A B then B A) with its 95% interval; ⚠ marks a ratio to rerun (the reason is below the table). *batch mean*: calls under 1 µs are timed in batches, and the figure is the mean call of a batch. *max of N*: too few samples for that percentile. *faults survived*: faults after which the host process was still alive.\n\n${perMachine(machines, summaryTable)}`
}

function okRows(machine: Machine): BenchRowOk[] {
  return (machine.report.bench ?? []).filter((row): row is BenchRowOk => okRow(row))
}

const PLUGIN_RUNS_IN: Record<Placement, string> = {
  'same-thread': "the host's thread",
  'other-thread': 'a worker thread',
  'other-process': 'a process of its own',
  sandbox: 'a wasm sandbox',
}

const SUBJECT_NAME: Record<SurveySubject, string> = {'go-stdlib-plugin': 'Go stdlib plugin', 'go-plugin': 'go-plugin', 'compiled-in': 'compiled-in'}

// A ratio as a person says it: 22.8x slower, 500x faster; a paired one with its interval, and ⚠ when flagged.
function speedCell(row: RowPlacement, subject: SurveySubject): string {
  const vs = row.speedVs[subject]
  if (row.subject === subject) return 'itself'
  if (vs === undefined) return '-'
  const slower = vs.median >= 1
  const say = (value: number) => (slower ? value : 1 / value)
  const words = `${formatRatio(say(vs.median))} ${slower ? 'slower' : 'faster'}`
  if (!vs.paired) return words
  const [from, to] = slower ? [vs.low, vs.high] : [vs.high, vs.low]
  return `${words}${intervalFigure(say(from), say(to), vs.confidence)}${vs.flagged ? ' ⚠' : ''}`
}

function reloadCell({possible, measured}: RowPlacement['reload']): string {
  if (!possible) return 'no'
  if (measured === undefined) return 'yes (not measured)'
  const calls = measured.calls !== undefined ? ` of ${formatCount(measured.calls)}` : ''
  return `${measured.reloadMs !== undefined ? formatMs(measured.reloadMs) : 'yes'}, ${measured.failedCalls}${calls} calls failed`
}

function placementMarkdown(machine: Machine): string {
  if (mechanismsOf([machine], {floors: false}).length === 0) return notMeasured('no bench or crash-test rows', 'plugin-survey bench')
  const {subjects, rows} = placementTable(machine)
  const head = ['mechanism', 'plugin runs in', 'call p50', ...subjects.map((s) => `vs ${code(s.mechanism)}`), 'faults survived', 'reload']
  const body = rows.map((row) => [
    row.subject ? `${code(row.mechanism)} (the survey's ${SUBJECT_NAME[row.subject]})` : code(row.mechanism),
    PLUGIN_RUNS_IN[row.where],
    formatNs(row.callP50Ns),
    ...subjects.map((s) => speedCell(row, s.subject)),
    faultsCell(machine, row.mechanism),
    reloadCell(row.reload),
  ])
  return table(head, body)
}

function placement(machines: readonly Machine[]): string {
  const intro =
    "Each row beside the survey's three mechanisms, the rows that are them first. *Speed*: where the row and the survey row took turns in alternating rounds of the run, the median of the ratios of blocks of rounds (A B then B A) with its 95% interval (⚠: flagged, see the rows against rows); elsewhere the ratio of the two call p50s of the same run, without an interval. " +
    '*Isolation*: where the plugin runs (the row says so), and the faults after which its host was still alive (measured). ' +
    '*Reload*: whether the row can swap in a new version (the row says so), and what the hot reload probe measured: the swap time and the calls that failed while calls streamed.'
  return `## Beside the survey's mechanisms\n\n${intro}\n\n${perMachine(machines, placementMarkdown)}`
}

function callRows(machine: Machine): BenchRowOk[] {
  return (machine.report.bench ?? []).filter((row): row is BenchRowOk => okRow(row) && row.call !== undefined)
}

/** The metric's bar charts: per machine in markdown, side by side in the HTML report. */
function barFigure(machines: readonly Machine[], metric: Metric): Block[] {
  const chart = barChart(machines, metric)
  if (chart.machines.length === 0) return []
  const several = machines.length > 1
  const charts = chart.machines.flatMap((m) => barCharts(chart, m.groups, several ? `, ${m.machine}` : ''))
  return [{figure: chart, markdown: [...charts, barLegend(chart)].filter(Boolean).join('\n\n')}]
}

// The paired ratios of rows against other rows (a row's `versus`).
function rowsAgainstRows(machine: Machine): Block[] {
  const lines = callRows(machine).flatMap((row) => (row.ratios ?? []).filter((r) => r.kind === 'row').map((r) => `- ${code(row.mechanism)} against ${code(r.against)}: ${ratioFigure(r)}, in paired rounds of both`))
  return lines.length > 0 ? ['### Rows against rows', lines.join('\n')] : []
}

// A small text histogram of each row timed call by call (the IPC rows), per machine; the HTML report draws the
// same data, the machines side by side.
function distributions(machines: readonly Machine[]): Block[] {
  const rows = (machine: Machine) => callRows(machine).filter((row) => row.call!.timing === 'per-call')
  const measured = machines.filter((machine) => rows(machine).length > 0)
  if (measured.length === 0) return []
  const histogram = (row: BenchRowOk) => {
    const modes = modesText(row.call!)
    return `${code(row.mechanism)}${modes ? ` (${modes})` : ''}\n\n\`\`\`text\n${histogramLines(row.call!.histogram).join('\n')}\n\`\`\``
  }
  const text = (machine: Machine) => rows(machine).map(histogram).join('\n\n')
  return [
    '### Distributions',
    'Per-call latency of the rows that cross a thread or process boundary, in half-octave bins (log scale). IPC round trips here are often bimodal: a busy core answers at once, an idle one takes tens of µs to wake.',
    {figure: distributionChart(machines), markdown: machines.length === 1 ? text(measured[0]!) : measured.map((m) => `#### ${m.label}\n\n${text(m)}`).join('\n\n')},
  ]
}

const memoryRows = (machine: Machine) => (machine.report.bench ?? []).filter((row): row is BenchRowOk => okRow(row) && row.rssBytes !== undefined)

function latencyDetail(machines: readonly Machine[]): Block[] {
  const parts: Block[] = ['## Latency detail']
  const ids = mechanismsOf(machines, {floors: true}).filter((id) => machines.some((m) => benchRow(m, id)))
  if (ids.length === 0) return [`${parts[0]}\n\n${notMeasured('no bench rows', 'plugin-survey bench')}`]
  const memoryText = 'Resident memory one loaded plugin adds: the host\'s growth plus the plugin process\'s own RSS, beside its floor\'s.'
  if (machines.length === 1) {
    const machine = machines[0]!
    parts.push(
      '### Per call',
      'Percentiles of single calls, or of batch means for calls under 1 µs; *max of N* where the samples are too few for the percentile. The p50 is the median of the rounds\' p50s, with its 95% interval.',
      table(
        ['mechanism', 'p50 (95% interval)', 'p90', 'p99', 'p99.9', 'ops/s', 'samples', 'vs floor'],
        callRows(machine).map((row) => {
          const call = row.call!
          const interval = call.p50Interval ? ` (${formatNs(call.p50Interval.low)}–${formatNs(call.p50Interval.high)})` : ''
          const overhead = ratioOf(row, 'call')
          return [
            code(row.mechanism),
            `${callFigure(call, call.p50Ns)}${interval}`,
            tailFigure(call, 'p90Ns'),
            tailFigure(call, 'p99Ns'),
            tailFigure(call, 'p999Ns'),
            formatCount(call.opsPerSec),
            `${call.samples}${call.batch > 1 ? ` × ${call.batch}` : ''} in ${call.rounds.length} rounds`,
            overhead ? `${ratioFigure(overhead)} ${overhead.against}` : '-',
          ]
        }),
      ),
      ...barFigure(machines, 'call'),
      ...rowsAgainstRows(machine),
      ...distributions(machines),
      '### Cold start',
      'From nothing to the first correct answer, each sample from a fresh start; paired with the cold-start floor sample by sample.',
      table(
        ['mechanism', 'p50 (95% interval)', 'p99', 'samples', 'vs floor', 'build'],
        (machine.report.bench ?? []).filter((row): row is BenchRowOk => okRow(row) && row.coldStart !== undefined).map((row) => {
          const cold = row.coldStart!
          const interval = cold.p50Interval ? ` (${formatMs(cold.p50Interval.low)}–${formatMs(cold.p50Interval.high)})` : ''
          const overhead = ratioOf(row, 'coldStart')
          return [code(row.mechanism), `${formatMs(cold.p50Ms)}${interval}`, coldTail(cold), String(cold.samples), overhead ? `${ratioFigure(overhead)} ${overhead.against}` : '-', row.buildMs !== undefined ? `${formatMs(row.buildMs)}${row.buildCached ? ' (cached)' : ''}` : '-']
        }),
      ),
      ...barFigure(machines, 'cold-start'),
    )
    if (memoryRows(machine).length > 0) {
      parts.push('### Memory', memoryText, table(['mechanism', 'resident memory added', 'floor'], memoryRows(machine).map((row) => [code(row.mechanism), formatBytes(row.rssBytes), row.floor ?? '-'])), ...barFigure(machines, 'memory'))
    }
  } else {
    const cell = (machine: Machine, id: string, pick: (row: BenchRowOk) => string) => {
      const row = benchRow(machine, id)
      // A demonstration's finding has no figures.
      return okRow(row) ? pick(row) : row?.status === 'finding' ? '-' : statusCell(row)
    }
    const perMachineTable = (pick: (row: BenchRowOk) => string) => table(['mechanism', ...machines.map((m) => m.label)], ids.map((id) => [code(id), ...machines.map((m) => cell(m, id, pick))]))
    parts.push(
      '### Per call: p50 (p99)',
      perMachineTable((row) => (row.call ? `${callFigure(row.call, row.call.p50Ns)} (${tailFigure(row.call, 'p99Ns')})` : '-')),
      ...barFigure(machines, 'call'),
      ...distributions(machines),
      '### Cold start: p50',
      perMachineTable((row) => formatMs(row.coldStart?.p50Ms)),
      ...barFigure(machines, 'cold-start'),
    )
    if (machines.some((m) => memoryRows(m).length > 0)) parts.push('### Memory', memoryText, perMachineTable((row) => formatBytes(row.rssBytes)), ...barFigure(machines, 'memory'))
  }
  return parts
}

function payloadTable(machine: Machine): Block[] {
  const rows = (machine.report.bench ?? []).filter((row): row is BenchRowOk => okRow(row) && (row.payload?.length ?? 0) > 0)
  if (rows.length === 0) return [notMeasured('no row measured payloads', 'plugin-survey bench')]
  const sizes = [...new Set(rows.flatMap((row) => row.payload!.map((p) => p.bytes)))].sort((a, b) => a - b)
  const cell = (row: BenchRowOk, bytes: number) => {
    const point = row.payload!.find((p) => p.bytes === bytes)
    return point ? `${formatNs(point.p50Ns)}${point.timing === 'batch-mean' ? ' batch mean' : ''}` : '-'
  }
  const out: Block[] = [table(['mechanism', ...sizes.map(formatBytes)], rows.map((row) => [code(row.mechanism), ...sizes.map((bytes) => cell(row, bytes))]))]
  const chart = payloadChart([machine])
  if (chart.machines.length > 0) out.push({figure: chart, markdown: payloadCharts(chart.machines[0]!).join('\n\n')})
  return out
}

function payloadScaling(machines: readonly Machine[]): Block[] {
  return ['## Payload scaling', "Call p50 as the payload echoed through the plugin grows, timed the way the row's calls are (*batch mean* for calls under 1 µs).", ...perMachineBlocks(machines, payloadTable)]
}

function crashCell(row: CrashRow | undefined): string {
  if (!row) return '-'
  if (row.status === 'skipped') return 'skipped'
  if (row.status === 'failed') return 'probe failed'
  const mark = !row.hostSurvived ? '💥' : row.recovered ? '✅' : '🟡'
  // A host crash-test's watchdog killed froze: its SIGKILL is crash-test's, not the plugin's.
  const died = () => (row.errorCode === 'HOST_HUNG' ? 'froze' : (row.signal ?? (row.exitCode !== undefined ? `exit ${row.exitCode}` : 'died')))
  const how = !row.hostSurvived ? died() : row.detectMs !== undefined ? formatMs(row.detectMs) : ''
  const stdio = row.stdio ? `stdio ${row.stdio.stdoutLines} out / ${row.stdio.stderrLines} err${row.stdio.sent !== undefined ? ` of ${row.stdio.sent}` : ''}` : ''
  const flag = !row.asExpected ? '❌' : !row.codeAsExpected ? '⚠' : ''
  return [mark, how, stdio, row.orphans > 0 ? `${row.orphans} left` : '', flag].filter(Boolean).join(' ')
}

function crashTable(machine: Machine): Block[] {
  const rows = machine.report.crash
  if (rows === undefined) return [notMeasured('the crash matrix', 'plugin-survey crash-test')]
  if (rows.length === 0) return ['_crash-test ran no probes._']
  const faults = [...new Set(rows.map((row) => row.fault))]
  const allIds = [...new Set(rows.map((row) => row.mechanism))]
  // A row skipped for every fault is one line below the table, not a line of "skipped" cells.
  const unprobed = allIds.filter((id) => rows.filter((r) => r.mechanism === id).every((r) => r.status === 'skipped'))
  const mechanisms = allIds.filter((id) => !unprobed.includes(id))
  const matrix = table(['mechanism', ...faults], mechanisms.map((id) => [code(id), ...faults.map((fault) => crashCell(rows.find((r) => r.mechanism === id && r.fault === fault)))]))
  const out: Block[] = [{figure: crashGrid(machine, mechanisms), markdown: matrix}]
  const reasonOf = (id: string) => rows.find((r): r is CrashRowSkipped => r.mechanism === id && r.status === 'skipped')?.reason
  if (unprobed.length > 0) out.push(`Not probed: ${unprobed.map((id) => `${code(id)} (${reasonOf(id) ?? 'skipped'})`).join('; ')}.`)
  const surprises = probedCells(rows).filter((row) => !row.asExpected)
  if (surprises.length > 0) {
    const line = (row: CrashRowProbed) =>
      `- ❌ ${code(row.mechanism)} × \`${row.fault}\`: expected the host to ${row.expected.hostSurvived ? 'survive' : 'die'}${row.expected.recovered ? ' and recover' : ''}; it ${row.hostSurvived ? 'survived' : 'died'}${row.recovered ? ' and recovered' : ''}${row.errorCode ? ` (${row.errorCode})` : ''}`
    out.push(`Differences from the documented expectation:\n\n${surprises.map(line).join('\n')}`)
  }
  const otherCodes = probedCells(rows).filter((row) => row.asExpected && !row.codeAsExpected)
  if (otherCodes.length > 0) {
    const line = (row: CrashRowProbed) => `- ⚠ ${code(row.mechanism)} × \`${row.fault}\`: expected ${expectedCodes(row.expected.errorCodes)}; the host reported ${row.errorCode ?? 'no error'}`
    out.push(`Outcomes as documented, with another error code:\n\n${otherCodes.map(line).join('\n')}`)
  }
  const broken = rows.filter((row): row is CrashRowFailed => row.status === 'failed')
  if (broken.length > 0) out.push(`Probes that failed to run:\n\n${broken.map((row) => `- ${code(row.mechanism)} × \`${row.fault}\`: ${row.reason}`).join('\n')}`)
  const reloads = hotReloadResults(machine)
  if (reloads.length > 0) {
    const remark = (r: MeasuredHotReload) =>
      [r.oldModuleRetained ? 'the old module stays in memory (ES modules cannot be unloaded)' : '', r.oldProcessExited === false ? 'the old plugin process was still running' : ''].filter(Boolean).join('; ') || '-'
    const answered = (r: MeasuredHotReload) => `${r.answeredByOld ?? '-'} → ${r.answeredByNew ?? '-'}${r.countedBy === 'answer' ? ' (by their answers)' : r.countedBy === 'generation' ? ' (by generation)' : ''}`
    out.push(
      `Hot reload (the plugin replaced while calls stream in):\n\n${table(['mechanism', 'reload time', 'calls answered old → new', 'failed calls', 'remark'], reloads.map((r) => [code(r.mechanism), formatMs(r.reloadMs), answered(r), `${r.failedCalls} of ${r.calls}`, remark(r)]))}`,
    )
  }
  const orphans = orphanResults(machine)
  if (orphans.length > 0) {
    const plugin = (o: OrphanRowOk) => (o.parentWatch === undefined ? '-' : describeOrphanPlugin(o.parentWatch))
    out.push(`Orphans (the host killed with SIGKILL while its plugin ran):\n\n${table(['mechanism', 'plugin', 'plugin processes', 'left running', 'gone within'], orphans.map((o) => [code(o.mechanism), plugin(o), String(o.pluginProcesses), String(o.orphans), formatMs(o.goneWithinMs)]))}`)
  }
  const features = goPluginFeatures(machine)
  if (features) out.push(features)
  return out
}

// crash-test's go-plugin probes beyond the fault matrix: versions, logging, terminals.
function goPluginFeatures(machine: Machine): string | undefined {
  const parts: string[] = []
  const versions = versionResults(machine)
  if (versions.length > 0) {
    const rows = versions.flatMap((v) => v.cases.map((c) => [code(v.mechanism), v.host === 'go-plugin' ? "go-plugin's Go host" : 'the TypeScript host', `[${v.offered.join(', ')}]`, describeVersionCase(c)]))
    parts.push(`App-version negotiation (VersionedPlugins, the docs plugin serving each list in turn):\n\n${table(['mechanism', 'host', 'offered', 'plugin serving → outcome'], rows)}`)
  }
  for (const row of loggingResults(machine)) {
    parts.push(`Logging: the plugin's hclog line at WARN ${row.found ? `arrived at level \`${row.level}\` in go-plugin's host logger \`${row.module}\`` : "never reached go-plugin's host logger"}.`)
  }
  for (const row of terminalResults(machine)) parts.push(`Terminals, go-plugin's host run under ${row.pty}: ${describeTerminals(row)}.`)
  return parts.length > 0 ? parts.join('\n\n') : undefined
}

function crashMatrix(machines: readonly Machine[]): Block[] {
  const legend = '✅ host survived and, after a restart, the next call returned the exact answer (detection time) · 🟡 host survived, no recovery · 💥 host died (signal or exit code) or froze · ❌ differs from the documented expectation · ⚠ as documented, with another error code · *N left*: plugin processes left running'
  return ['## Crash matrix', {markdown: legend}, ...perMachineBlocks(machines, crashTable)]
}

const REASON_CHARS = 90
const shorten = (text: string) => (text.length > REASON_CHARS ? `${text.slice(0, REASON_CHARS - 1).trimEnd()}…` : text)

// Reasons are shortened here: the summary above gives each in full.
function detectedCell(state: Detected, ranAgainstDocs: boolean): string {
  switch (state.state) {
    case 'ran':
      return ranAgainstDocs ? 'ran ⚠ (documented unsupported)' : 'ran'
    case 'skipped':
      return `skipped: ${shorten(state.reason)}`
    case 'failed':
      return `failed${state.errorCode ? ` (${state.errorCode})` : ''}: ${shorten(state.reason)}`
    case 'not-tried':
      return 'not tried'
  }
}

function platformSupport(machines: readonly Machine[]): string {
  const seen = mechanismsOf(machines, {floors: false})
  const ids = [...seen, ...documentedMechanisms().filter((id) => !seen.includes(id))]
  const mark = (id: string, platform: (typeof PLATFORMS)[number]) => {
    const entry = documentedSupport(id)
    return entry ? (entry.support[platform] === 'yes' ? '✅' : '❌') : '?'
  }
  const sources = (id: string) => {
    const entry = documentedSupport(id)
    if (!entry) return 'not documented here'
    const links = entry.sources.map((url) => `[${new URL(url).hostname.replace(/^www\./, '')}](${url})`).join(' ')
    return entry.note ? `${entry.note}; ${links}` : links
  }
  const here = machines.map((m) => `detected: ${m.label}`)
  const rows = ids.map((id) => [code(id), ...PLATFORMS.map((p) => mark(id, p)), ...machines.map((m) => detectedCell(detected(m, id), contradicts(m, id))), sources(id)])
  const noBench = machines.filter((m) => m.report.bench === undefined && m.report.crash === undefined)
  const parts = [
    '## Platform support',
    `Documented support (✅ / ❌) beside what each machine detected when it tried the mechanism. Machines: ${machines.map((m) => `${m.label} (${platformOf(m.report.host.os) ?? m.report.host.os})`).join(', ')}.`,
    table(['mechanism', ...PLATFORMS, ...here, 'notes and sources'], rows),
  ]
  if (noBench.length > 0) parts.push(notMeasured(`detection on ${noBench.map((m) => m.label).join(', ')}`, 'plugin-survey bench'))
  return parts.join('\n\n')
}

const VERDICT_MARK: Record<Verdict, string> = {confirmed: '✅ confirmed', refuted: '❌ refuted', 'not measurable': '➖ not measurable'}

// What each author writes for the sample, the column three of the claims are judged by.
function authoringTable(authoring: readonly Authoring[]): string {
  const rows = authoring.map((a) => [code(a.mechanism), String(a.pluginLines), String(a.hostLines), a.thirdParty.length > 0 ? a.thirdParty.map(code).join(', ') : 'none', a.files.map(code).join(', ')])
  return `${table(['mechanism', 'plugin-author lines', 'host-author lines', 'modules outside the standard library', 'counted in'], rows)}\n\n_Counted from the fixtures: the lines between \`// survey:plugin-author\` (or \`host-author\`) and \`// survey:end\` that are neither blank nor only a comment, less those marked \`// survey:measurement\` (fault triggers, payload echo, stdio counting); package clauses, imports and generated code are not counted._`
}

function claimsSection(claims: readonly ClaimResult[], authoring: readonly Authoring[]): Block[] {
  const words = claims.map(claimWords)
  const rows = words.map((c) => [`“${c.claim}”`, c.about, VERDICT_MARK[c.verdict], c.evidence.join('; ')])
  const rules = words.map((c) => `- **${c.claim}**: ${c.rule}.`).join('\n')
  const markdown = `${table(['claim', 'said of', 'verdict', 'evidence'], rows)}\n\n<details><summary>The rule behind each verdict</summary>\n\n${rules}\n\n</details>`
  return [
    "## The survey's claims",
    "Each claim of *A Survey of Golang 'plugins'*, judged by a stated rule on the mechanism the survey says it of; findings of other rows are shown as added evidence and never decide.",
    {figure: {kind: 'claims', claims: words}, markdown},
    `### What each author writes\n\n${authoringTable(authoring)}`,
  ]
}

function title(machines: readonly Machine[]): string {
  const tool = machines[0]?.report.tool
  const started = machines.map((m) => m.report.startedAt).sort()[0]
  return `# plugin-survey report\n\n${tool ? `${tool.name} ${tool.version}` : 'plugin-survey'} · ${machines.length} machine${machines.length === 1 ? '' : 's'} (${machines.map((m) => m.label).join(', ')})${started ? ` · first run started ${started}` : ''}`
}

/** Every section of the report, in reading order; with a comparison (`report --baseline`), the changes after the summary. */
export function reportSections(machines: readonly Machine[], comparison?: Comparison, authoring: readonly Authoring[] = countAuthoring()): Section[] {
  const section = (id: string, heading: string, dropRank: number, content: string | Block[]): Section => {
    const blocks = typeof content === 'string' ? [content] : content
    return {id, heading, dropRank, blocks, markdown: joinBlocks(blocks)}
  }
  return [
    section('title', 'plugin-survey report', 0, title(machines)),
    section('environment', 'Environment', 1, environment(machines)),
    section('summary', 'Summary', 0, summary(machines)),
    ...(comparison ? [section('changes', 'Changes since the baseline', 4, renderComparisonMarkdown(comparison))] : []),
    section('placement', "Beside the survey's mechanisms", 4, placement(machines)),
    section('latency', 'Latency detail', 5, latencyDetail(machines)),
    section('payload', 'Payload scaling', 6, payloadScaling(machines)),
    section('crash', 'Crash matrix', 3, crashMatrix(machines)),
    section('scale', 'Scale', 4, scaleSection(machines)),
    section('platforms', 'Platform support', 2, platformSupport(machines)),
    section('claims', "The survey's claims", 0, claimsSection(evaluateClaims(machines, authoring), authoring)),
  ]
}

export function joinSections(sections: readonly Section[]): string {
  return `${sections.map((s) => s.markdown).join('\n\n')}\n`
}

export function renderMarkdown(machines: readonly Machine[], comparison?: Comparison, authoring?: readonly Authoring[]): string {
  return joinSections(reportSections(machines, comparison, authoring))
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8')

/**
 * The report within `limitBytes`: whole sections are left out, highest dropRank first, each replaced by its
 * heading and a line giving `why` (and where the full report is); a section still too long is cut at a line.
 */
export function fitMarkdown(sections: readonly Section[], limitBytes: number, why: string): string {
  const current = [...sections]
  const stub = (s: Section): Section => {
    const markdown = `## ${s.heading}\n\n_Left out ${why}._`
    return {...s, dropRank: -1, markdown, blocks: [markdown]}
  }
  const byRank = [...sections].filter((s) => s.dropRank > 0).sort((a, b) => b.dropRank - a.dropRank)
  for (const victim of byRank) {
    if (bytes(joinSections(current)) <= limitBytes) break
    current[current.findIndex((s) => s.id === victim.id)] = stub(victim)
  }
  const text = joinSections(current)
  if (bytes(text) <= limitBytes) return text
  const cut = `\n_…cut here ${why}._\n`
  const kept: string[] = []
  let size = bytes(cut) + bytes('```\n') + bytes('\n</details>\n')
  let inFence = false
  let inDetails = false
  for (const line of text.split('\n')) {
    size += bytes(line) + 1
    if (size > limitBytes) break
    kept.push(line)
    if (line.startsWith('```')) inFence = !inFence
    else if (!inFence && line.startsWith('<details>')) inDetails = true
    else if (!inFence && line.startsWith('</details>')) inDetails = false
  }
  // Never leave a code block or a <details> open: the rest of the summary would render inside it.
  return `${kept.join('\n')}\n${inFence ? '```\n' : ''}${inDetails ? '\n</details>\n' : ''}${cut}`
}
