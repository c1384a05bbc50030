import {readFileSync} from 'node:fs'
import {beforeAll, describe, expect, it} from 'vitest'
import {findRow} from '../src/mechanisms/index.js'
import {runBench} from '../src/measure/bench.js'
import {benchSettings} from '../src/measure/settings.js'
import {benchmarkActionEntries} from '../src/render/benchmark-action.js'
import type {Bar, BarChart} from '../src/render/chart-data.js'
import {axisTop, barCharts, barLabel} from '../src/render/charts.js'
import {fitMarkdown, renderMarkdown, reportSections} from '../src/render/markdown.js'
import {mergeReports, type Machine} from '../src/report/merge.js'
import {parseReportText} from '../src/report/read.js'
import {newReport} from '../src/report/report.js'
import {documentedMechanisms} from '../src/report/platforms.js'
import {withoutUntriedRows} from './support/reports.js'

const fixture = (name: string) => {
  const file = new URL(`./fixtures/reports/${name}.json`, import.meta.url)
  return parseReportText(readFileSync(file, 'utf8'), `${name}.json`)
}
const threeMachines = () => mergeReports([...fixture('linux'), ...fixture('darwin'), ...fixture('windows')])

/**
 * The shape of a report without its figures: headings, first cells of table rows, and the mechanisms each section
 * charts (how they split into charts by unit depends on the figures).
 */
function skeleton(markdown: string, label: string): string {
  const out: string[] = []
  let charted: string[] = []
  const flush = () => {
    if (charted.length > 0) out.push(`charted: ${[...new Set(charted)].sort().join(', ')}`)
    charted = []
  }
  for (const line of markdown.replaceAll(label, '<machine>').split('\n')) {
    if (line.startsWith('#')) {
      flush()
      out.push(line)
    } else if (line.startsWith('| ---')) continue
    else if (line.startsWith('| ')) out.push(`${line.slice(0, line.indexOf(' | ', 1) + 2)}…`)
    else if (line.startsWith('  x-axis [')) charted.push(...[...line.matchAll(/"([^"]*)"/g)].map((m) => m[1]!.split(' · ')[0]!))
    else if (line.startsWith('  line ')) charted.push(/^  line "([^"]+)"/.exec(line)![1]!)
  }
  flush()
  return `${out.join('\n')}\n`
}

describe('markdown report from hand-built data', () => {
  it('renders one machine (snapshot)', async () => {
    await expect(withoutUntriedRows(renderMarkdown(mergeReports(fixture('linux'))))).toMatchFileSnapshot('./fixtures/reports/linux.report.md')
  })

  it('merges three operating systems into one platform table and one latency table with a column per machine (snapshot)', async () => {
    const machines = threeMachines()
    expect(machines.map((m) => m.label)).toEqual(['linux-x64', 'darwin-arm64', 'win32-x64'])
    const markdown = renderMarkdown(machines)
    expect(markdown).toContain('| mechanism | linux | darwin | windows | freebsd | detected: linux-x64 | detected: darwin-arm64 | detected: win32-x64 | notes and sources |')
    expect(markdown).toContain('### Per call: p50 (p99)\n\n| mechanism | linux-x64 | darwin-arm64 | win32-x64 |')
    expect(markdown.match(/^## Platform support$/gm)).toHaveLength(1)
    // The Windows file was written before reports recorded the libraries' versions.
    expect(markdown).toContain('| go-plugin | v1.8.0 | v1.8.0 | not recorded |')
    expect(markdown).toContain('| grpc-js | 1.14.7 | 1.14.7 | not recorded |')
    expect(markdown).toContain('| `go-stdlib-plugin` | 310 ns batch mean (1 µs batch mean) | 251 ns batch mean (807 ns batch mean) | skipped |')
    await expect(withoutUntriedRows(markdown)).toMatchFileSnapshot('./fixtures/reports/merged.report.md')
  })

  it('says which section is not measured and which command measures it, rather than leaving it out', () => {
    const [machine] = mergeReports(fixture('linux'))
    const benchOnly: Machine = {...machine!, report: {...machine!.report, crash: undefined, hotReload: undefined}}
    const markdown = renderMarkdown([benchOnly])
    expect(markdown).toContain('## Crash matrix')
    expect(markdown).toContain('_Not measured in this run: the crash matrix. Run `plugin-survey crash-test`, or pass its `--json` output with `--from`._')
    const nothing = renderMarkdown([{...machine!, report: {...machine!.report, bench: undefined, crash: undefined, hotReload: undefined}}])
    expect(nothing).toContain("## Payload scaling\n\nCall p50 as the payload echoed through the plugin grows, timed the way the row's calls are (*batch mean* for calls under 1 µs).\n\n_Not measured in this run: no row measured payloads. Run `plugin-survey bench`")
  })
})

describe('a crash-test report without bench', () => {
  it('takes what ran here from the probes, and shows a frozen host as frozen, not as killed by a signal', () => {
    const [machine] = mergeReports(fixture('linux'))
    const crash = machine!.report.crash!
    const hung = {...crash.find((r) => r.mechanism === 'in-process')!, fault: 'hang', hostSurvived: false, recovered: false, signal: 'SIGKILL', errorCode: 'HOST_HUNG'}
    const skipped = {...crash[0]!, mechanism: 'go-wasm', status: 'skipped' as const, reason: 'go not found on PATH'}
    const markdown = renderMarkdown([{...machine!, report: {...machine!.report, bench: undefined, crash: [...crash, hung, skipped]}}])
    expect(markdown).toMatch(/\| `in-process` \|.*💥 froze \|/)
    expect(markdown).toMatch(/\| `in-process` \| ✅ \| ✅ \| ✅ \| ✅ \| ran \|/)
    expect(markdown).toMatch(/\| `go-wasm` \| ✅ \| ✅ \| ✅ \| ✅ \| skipped: go not found on PATH \|/)
    expect(markdown).not.toContain('detection on linux-x64')
  })
})

describe('charts', () => {
  const chart = (bars: Bar[]): BarChart => ({kind: 'bars', metric: 'call', unit: 'ns', measure: 'p50 per call', machines: [{machine: 'linux-x64', groups: [{floor: 'floor-unix-socket', bars}]}]})
  const socket: Bar = {mechanism: 'floor-unix-socket', value: 19_200, role: 'floor'}
  const rpc: Bar = {mechanism: 'child-rpc', value: 28_100, role: 'row', ratio: 1.46}

  it('draws horizontal bars in a unit a person reads, each label with its figure and its ratio to the floor above it', () => {
    const bars = chart([socket, rpc])
    expect(barCharts(bars, bars.machines[0]!.groups)).toEqual([
      [
        '```mermaid',
        '---',
        'config:',
        '  xyChart:',
        '    width: 800',
        '    height: 260',
        '  themeVariables:',
        '    xyChart:',
        '      plotColorPalette: "#1f77b4"',
        '---',
        'xychart-beta horizontal',
        '  title "Per call, rows in µs"',
        '  x-axis ["floor-unix-socket · 19.2 µs · floor", "child-rpc · 28.1 µs · 1.46x"]',
        '  y-axis "µs per call, p50" 0 --> 30',
        '  bar [19.2, 28.1]',
        '```',
      ].join('\n'),
    ])
  })

  it('puts a ratio interval and a flag in the label when the row has them, and nothing when it does not', () => {
    const bars = chart([socket, rpc])
    expect(barLabel(bars, {...rpc, ratioInterval: {low: 1.31, high: 1.62}, flag: 'the rounds disagree'})).toBe('child-rpc · 28.1 µs · 1.46x (1.31x–1.62x) ⚠')
    expect(barLabel(bars, rpc)).toBe('child-rpc · 28.1 µs · 1.46x')
  })

  it('never sets a 9 ns call and a 200 µs round trip on one linear axis: one chart per unit', () => {
    const bars: BarChart = {...chart([]), machines: [{machine: 'm', groups: [{floor: 'floor-direct-call', bars: [{mechanism: 'floor-direct-call', value: 8.9, role: 'floor'}, {mechanism: 'in-process', value: 8.6, role: 'row', ratio: 0.97}]}, {bars: [{mechanism: 'go-hashicorp', value: 122_000, role: 'row'}, {mechanism: 'go-wasm', value: 3.4e9, role: 'row'}]}]}]}
    const titles = barCharts(bars, bars.machines[0]!.groups).map((block) => /title "(.*)"/.exec(block)![1])
    expect(titles).toEqual(['Per call, rows in ns', 'Per call, rows in µs', 'Per call, rows in s'])
  })

  it('draws a row far above its floor in the chart of its own unit, with its ratio, so the floor and its near rows stay visible', () => {
    const bars: BarChart = {...chart([]), machines: [{machine: 'm', groups: [{floor: 'floor-direct-call', bars: [{mechanism: 'floor-direct-call', value: 16, role: 'floor'}, {mechanism: 'in-process', value: 17.4, role: 'row', ratio: 1.09}, {mechanism: 'extism-js', value: 5550, role: 'row', ratio: 445}]}]}]}
    const charts = barCharts(bars, bars.machines[0]!.groups)
    expect(charts.map((block) => /title "(.*)"/.exec(block)![1])).toEqual(['Per call, rows in ns', 'Per call, rows in µs'])
    expect(charts[0]).toContain('x-axis ["floor-direct-call · 16 ns · floor", "in-process · 17.4 ns · 1.09x"]')
    expect(charts[1]).toContain('x-axis ["extism-js · 5.55 µs · 445x"]')
  })

  it('rounds the axis to a number a little above the longest bar', () => {
    expect([axisTop(953), axisTop(28.1), axisTop(0.5), axisTop(0)]).toEqual([1200, 30, 0.6, 1])
  })
})

describe('benchmark-action output', () => {
  it("writes customSmallerIsBetter entries named by machine, row and figure", () => {
    const entries = benchmarkActionEntries(mergeReports(fixture('linux')))
    expect(entries.slice(0, 2)).toEqual([
      {name: 'linux-x64 in-process call p50', unit: 'ns', value: 52, range: '± 1.15%', extra: 'batch mean of 400 calls; p99 162.4 ns; 12 rounds; 1.038x floor-direct-call (1.023–1.048)'},
      {name: 'linux-x64 in-process cold start p50', unit: 'ms', value: 0.4, range: '± 21.5%', extra: 'max 0.56 ms; 5 samples'},
    ])
    expect(entries.every((e) => typeof e.value === 'number' && e.unit.length > 0)).toBe(true)
    expect(entries.some((e) => e.name.includes('go-stdlib-plugin-skew'))).toBe(false)
  })
})

describe('fitting the GitHub job summary', () => {
  const sections = reportSections(threeMachines())
  const full = renderMarkdown(threeMachines())
  const bytes = (text: string) => Buffer.byteLength(text)

  it('keeps a report that fits unchanged', () => {
    expect(fitMarkdown(sections, 1024 * 1024, 'to fit: see report.md')).toBe(full)
  })

  it('leaves out payload scaling first, then latency, keeping their headings', () => {
    const payload = sections.find((s) => s.id === 'payload')!
    const limit = bytes(full) - bytes(payload.markdown) + 300
    const fitted = fitMarkdown(sections, limit, 'to fit: see report.md')
    expect(bytes(fitted)).toBeLessThanOrEqual(limit)
    expect(fitted).toContain('## Payload scaling\n\n_Left out to fit: see report.md._')
    expect(fitted).toContain('### Per call: p50 (p99)')
    expect(fitted).toContain("## The survey's claims")
  })

  it('cuts a section still too long at a line, closing an open code block', () => {
    const huge = [{id: 'latency', heading: 'Latency detail', dropRank: 0, markdown: `## Latency detail\n\n\`\`\`mermaid\n${'  bar [1]\n'.repeat(5000)}\`\`\``}]
    const fitted = fitMarkdown(huge, 4096, 'to fit: see report.md')
    expect(bytes(fitted)).toBeLessThanOrEqual(4096)
    expect(fitted.endsWith('  bar [1]\n```\n\n_…cut here to fit: see report.md._\n')).toBe(true)
  })

  it('closes a <details> block it cuts', () => {
    const claims = [{id: 'claims', heading: "The survey's claims", dropRank: 0, markdown: `## The survey's claims\n\n<details><summary>rules</summary>\n\n${'- a rule\n'.repeat(5000)}\n</details>`}]
    const fitted = fitMarkdown(claims, 4096, 'to fit: see report.md')
    expect(bytes(fitted)).toBeLessThanOrEqual(4096)
    expect(fitted.endsWith('- a rule\n\n</details>\n\n_…cut here to fit: see report.md._\n')).toBe(true)
  })
})

describe('markdown report from a real quick run', () => {
  let markdown = ''
  let machines: Machine[] = []

  beforeAll(async () => {
    const rows = [findRow('in-process')!, findRow('floor-direct-call')!]
    const report = newReport({quick: true})
    report.bench = await runBench(rows, benchSettings(true), {})
    machines = mergeReports([{report}])
    markdown = renderMarkdown(machines)
  }, 60_000)

  it('has every section, a row per measured mechanism and a judged claim (snapshot of its shape)', async () => {
    expect(machines[0]!.report.bench!.map((r) => [r.mechanism, r.status])).toEqual([
      ['in-process', 'ok'],
      ['floor-direct-call', 'ok'],
    ])
    expect(markdown).toMatch(/^\| `in-process` \| ok \| [\d.]+ [µnm]?s \| [\d.]+ [µn]s batch mean \|/m)
    expect(markdown).toContain('_Not measured in this run: faults survived. Run `plugin-survey crash-test`')
    await expect(skeleton(withoutUntriedRows(markdown), machines[0]!.label)).toMatchFileSnapshot('./fixtures/reports/quick-run.skeleton.md')
    // The lines the snapshot leaves out: the matrix lists every mechanism of the registry, tried here or not.
    const matrix = markdown.slice(markdown.indexOf('## Platform support'), markdown.indexOf("## The survey's claims"))
    for (const id of documentedMechanisms()) expect(matrix.split('\n').filter((line) => line.startsWith(`| \`${id}\` |`)), id).toHaveLength(1)
  })
})

describe('merging files of one machine', () => {
  it('combines bench, crash-test, hot reload and orphan rows and both settings; the later file wins a row both have', () => {
    const [linux] = fixture('linux')
    const report = linux!.report
    const benchOnly = {...report, settings: {quick: true}, crash: undefined, hotReload: undefined, orphans: undefined}
    const crashOnly = {...report, settings: {callTimeoutMs: 1000}, bench: [{...report.bench![0]!, status: 'skipped' as const, reason: 'later'}], hotReload: report.hotReload!.slice(0, 1)}
    const [machine, ...others] = mergeReports([{report: benchOnly, source: 'bench.json'}, {report: crashOnly, source: 'crash.json'}])
    expect(others).toEqual([])
    expect(machine!.sources).toEqual(['bench.json', 'crash.json'])
    expect(machine!.report.settings).toEqual({quick: true, callTimeoutMs: 1000})
    expect(machine!.report.bench!.map((r) => `${r.mechanism}:${r.status}`).slice(-1)).toEqual(['in-process:skipped'])
    expect(machine!.report.bench).toHaveLength(report.bench!.length)
    expect(machine!.report.crash).toEqual(report.crash)
    expect(machine!.report.hotReload).toEqual(report.hotReload!.slice(0, 1))
    expect(machine!.report.orphans).toEqual(report.orphans)
  })
})

describe('reading a saved report --json document', () => {
  it('drops the claims judged when it was written: they are judged again from the merged data', () => {
    const [linux] = fixture('linux')
    const saved = JSON.stringify({...linux!.report, claims: [{id: 'crash-main-loop', verdict: 'refuted'}]})
    const [read] = parseReportText(saved, 'saved.json')
    expect(read!.report).not.toHaveProperty('claims')
    expect(read!.report.crash).toEqual(linux!.report.crash)
  })
})
