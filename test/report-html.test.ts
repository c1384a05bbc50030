import {readFileSync} from 'node:fs'
import {JSDOM} from 'jsdom'
import {describe, expect, it} from 'vitest'
import type {BarChart, CrashGrid, Distribution} from '../src/render/chart-data.js'
import {renderHtml} from '../src/render/html/page.js'
import {crashPlot, distributionDomain, histogramPlot, timePlot} from '../src/render/html/plots.js'
import {reportSections} from '../src/render/markdown.js'
import {CLAIMS} from '../src/report/claims/index.js'
import {mergeReports} from '../src/report/merge.js'
import {documentedMechanisms} from '../src/report/platforms.js'
import {parseReportText} from '../src/report/read.js'
import {crashRow, handBuiltBenchReport, testReport, withoutUntriedHtmlRows} from './support/reports.js'
import {barChart} from '../src/render/chart-data.js'

const fixture = (name: string) => parseReportText(readFileSync(new URL(`./fixtures/reports/${name}.json`, import.meta.url), 'utf8'), `${name}.json`)
const oneMachine = () => mergeReports(fixture('linux'))
const threeMachines = () => mergeReports([...fixture('linux'), ...fixture('darwin'), ...fixture('windows')])
const page = (html: string) => new JSDOM(html).window.document
const {document} = new JSDOM('').window

describe('the HTML report', () => {
  it('renders one machine (snapshot)', async () => {
    // The snapshot leaves out the platform rows of mechanisms no machine tried: they follow the registry, not the report.
    await expect(withoutUntriedHtmlRows(renderHtml(oneMachine()))).toMatchFileSnapshot('./fixtures/reports/linux.report.html')
    // The rows it leaves out are there: the platform table lists every mechanism of the registry.
    const page = renderHtml(oneMachine())
    for (const id of documentedMechanisms()) expect(page, id).toContain(`<tr>\n<td><code>${id}</code></td>\n<td><span class="mark`)
  })

  it('is one self-contained file: no script, no stylesheet, image or font to fetch when viewed', () => {
    const html = renderHtml(threeMachines())
    const doc = page(html)
    expect(doc.querySelectorAll('script, link, img, iframe, object, embed')).toHaveLength(0)
    expect(doc.querySelectorAll('[src]')).toHaveLength(0)
    expect(html).not.toMatch(/url\(|@import/)
    // Links are there to follow, not loaded: the nav's own anchors and the documentation's sources.
    const hrefs = [...doc.querySelectorAll('[href]')].map((a) => a.getAttribute('href')!)
    expect(hrefs.every((href) => href.startsWith('#') || href.startsWith('https://'))).toBe(true)
  })

  it('needs no emoji font: the marks are plain symbols in colour', () => {
    const html = renderHtml(threeMachines())
    expect(html).not.toMatch(/[\u{1F300}-\u{1FAFF}\u{2705}\u{274C}\u{2796}]/u)
    expect(page(html).querySelectorAll('#platforms .mark.yes').length).toBeGreaterThan(10)
  })

  it('has every section of the markdown report, in the same order, with its heading', () => {
    const machines = threeMachines()
    const doc = page(renderHtml(machines))
    const sections = reportSections(machines)
    expect([...doc.querySelectorAll('main > section')].map((s) => s.id)).toEqual(sections.map((s) => s.id))
    for (const section of sections) expect(doc.querySelector(`#${section.id} h1, #${section.id} h2`)?.textContent).toBe(section.heading)
    expect([...doc.querySelectorAll('nav a')].map((a) => a.getAttribute('href'))).toEqual(sections.slice(1).map((s) => `#${s.id}`))
  })

  it('draws each figure as SVG: call, cold start, memory and payload per machine side by side, a crash grid per machine, the claims with their rule', () => {
    const doc = page(renderHtml(threeMachines()))
    const svgs = (selector: string) => doc.querySelectorAll(`${selector} svg`).length
    expect([svgs('figure.call'), svgs('figure.cold-start'), svgs('figure.memory'), svgs('figure.payload'), svgs('figure.crash')]).toEqual([1, 1, 1, 15, 3])
    // One panel per machine: the facets carry the machine labels.
    const facets = [...doc.querySelectorAll('figure.call svg [aria-label="fx-axis tick label"] text')].map((t) => t.textContent)
    expect(facets).toEqual(['linux-x64', 'darwin-arm64', 'win32-x64'])
    const claims = doc.querySelectorAll('table.claims tbody tr')
    expect(claims).toHaveLength(CLAIMS.length)
    expect(claims[0]!.querySelector('.rule')!.textContent).toMatch(/^confirmed when the author code of go-stdlib-plugin imports no module outside the standard library/)
  })

  it('shows text from the data as text, never as markup', () => {
    const report = testReport({crash: [crashRow({mechanism: 'go-hashicorp', fault: 'throw', status: 'failed', reason: 'plugin answered <nil> then <script>alert(1)</script>'})]})
    const html = renderHtml(mergeReports([{report}]))
    expect(page(html).querySelectorAll('main script')).toHaveLength(0)
    expect(html).toContain('plugin answered &lt;nil&gt; then &lt;script&gt;alert(1)&lt;/script&gt;')
  })

  it('is a pure function of the report: the same data gives the same page', () => {
    expect(renderHtml(threeMachines())).toBe(renderHtml(threeMachines()))
  })
})

describe('the SVG charts', () => {
  const call = (withIntervals: boolean): BarChart => ({
    kind: 'bars',
    metric: 'call',
    unit: 'ns',
    measure: 'p50 per call',
    machines: [
      {
        machine: 'linux-x64',
        groups: [
          {
            floor: 'floor-unix-socket',
            bars: [
              {mechanism: 'floor-unix-socket', value: 19_200, role: 'floor', ...(withIntervals ? {interval: {low: 18_000, high: 21_000}} : {})},
              {mechanism: 'child-rpc', value: 28_100, role: 'row', ratio: 1.46, ...(withIntervals ? {interval: {low: 25_000, high: 30_500}, ratioInterval: {low: 1.3, high: 1.6}} : {})},
            ],
          },
        ],
      },
    ],
  })
  const marks = (svg: string, className: string) => page(svg).querySelectorAll(`g.${className} > *`).length

  it('draws a confidence interval as an error bar (a rule and two end ticks) for each figure that has one', () => {
    const svg = timePlot(call(true), document)
    expect(marks(svg, 'interval')).toBe(6)
    expect(svg).toContain('28.1 µs [25 µs–30.5 µs] · 1.46x (1.3x–1.6x)')
  })

  it('draws no error bar, and says no interval, where the report has none', () => {
    const svg = timePlot(call(false), document)
    expect(marks(svg, 'interval')).toBe(0)
    expect(svg).toContain('28.1 µs · 1.46x')
    expect(marks(svg, 'overhead')).toBe(1)
  })

  it('takes the 95% interval of each bar and of its ratio from the report, and draws one error bar per interval', () => {
    const rows = barChart(oneMachine(), 'call').machines[0]!.groups.flatMap((g) => g.bars)
    const childRpc = rows.find((b) => b.mechanism === 'child-rpc')!
    expect(childRpc.interval).toBeDefined()
    expect(childRpc.ratioInterval!.low).toBeLessThan(childRpc.ratio!)
    const report = testReport({bench: [{...handBuiltBenchReport().bench!.find((r) => r.mechanism === 'in-process')!}]})
    const bar = barChart(mergeReports([{report}]), 'call').machines[0]!.groups[0]!.bars[0]!
    expect(bar.interval).toBeUndefined()
    const svg = timePlot(barChart(oneMachine(), 'call'), document)
    expect(marks(svg, 'interval')).toBe(3 * rows.filter((b) => b.interval).length)
  })

  it('says "batch mean" beside a call figure timed in batches, and only there', () => {
    const bars = barChart(oneMachine(), 'call').machines[0]!.groups.flatMap((g) => g.bars)
    const batched = new Set(oneMachine()[0]!.report.bench!.filter((r) => r.status === 'ok' && r.call?.timing === 'batch-mean').map((r) => r.mechanism))
    expect(batched.size).toBeGreaterThan(0)
    for (const bar of bars) expect([bar.mechanism, bar.batchMean === true]).toEqual([bar.mechanism, batched.has(bar.mechanism)])
    const svg = timePlot(barChart(oneMachine(), 'call'), document)
    const labels = [...page(svg).querySelectorAll('text')].filter((t) => t.textContent?.includes(' batch mean'))
    expect(labels.length).toBe(bars.filter((b) => b.batchMean).length)
  })

  it('puts a log axis under the times, in units a person reads', () => {
    const ticks = [...page(timePlot(call(false), document)).querySelectorAll('[aria-label="x-axis tick label"] text')].map((t) => t.textContent)
    expect(ticks).toEqual(['10 µs', '100 µs'])
  })

  it('colours the crash grid by outcome, with the detection time or how the host ended in each cell, and marks the unexpected', () => {
    const grid: CrashGrid = {
      kind: 'crash',
      machine: 'linux-x64',
      faults: ['throw', 'segfault'],
      mechanisms: ['in-process', 'child-rpc'],
      cells: [
        {mechanism: 'in-process', fault: 'throw', outcome: 'recovered', detectMs: 0.2, asExpected: true, orphans: 0},
        {mechanism: 'in-process', fault: 'segfault', outcome: 'died', ended: 'SIGSEGV', asExpected: true, orphans: 0},
        {mechanism: 'child-rpc', fault: 'throw', outcome: 'survived', detectMs: 12, asExpected: false, orphans: 1},
        {mechanism: 'child-rpc', fault: 'segfault', outcome: 'recovered', detectMs: 7.8, asExpected: true, orphans: 0},
      ],
    }
    const doc = page(crashPlot(grid, document))
    const texts = [...doc.querySelectorAll('[aria-label="text"] text')].map((t) => t.textContent)
    expect(texts).toEqual(['200 µs', 'SIGSEGV', '12 ms !1 left', '7.8 ms'])
    const fills = [...doc.querySelectorAll('[aria-label="cell"]:not(.unexpected) rect')].map((r) => r.getAttribute('fill'))
    expect(fills).toEqual(['#3d9a50', '#d64541', '#f0c24b', '#3d9a50'])
    expect(marks(crashPlot(grid, document), 'unexpected')).toBe(1)
  })
  it('draws a distribution as a histogram on a log axis, each bar its share of the calls, with the modes of a bimodal row', () => {
    const bimodal: Distribution = {
      mechanism: 'child-rpc',
      bins: [
        {lowNs: 11_300, highNs: 16_000, count: 300},
        {lowNs: 16_000, highNs: 22_600, count: 320},
        {lowNs: 90_500, highNs: 128_000, count: 310},
        {lowNs: 128_000, highNs: 181_000, count: 70},
      ],
      modes: [
        {ns: 15_200, share: 0.62},
        {ns: 112_000, share: 0.31},
      ],
    }
    const doc = page(histogramPlot(bimodal, distributionDomain([bimodal]), document))
    const heights = [...doc.querySelectorAll('[aria-label="rect"] rect')].map((r) => Number(r.getAttribute('height')))
    expect(heights).toHaveLength(4)
    expect(heights[1]).toBeGreaterThan(heights[3]! * 4)
    expect(doc.querySelectorAll('g.mode > *')).toHaveLength(2)
    expect([...doc.querySelectorAll('[aria-label="x-axis tick label"] text, g[aria-label="text"] text')].map((t) => t.textContent)).toContain('100 µs')
    expect(page(histogramPlot({...bimodal, modes: undefined}, distributionDomain([bimodal]), document)).querySelectorAll('g.mode')).toHaveLength(0)
  })
})
