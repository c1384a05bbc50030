// The reports as a person sees them: the HTML page opened in headless Chromium, and the markdown's mermaid charts
// rendered by mermaid in the same browser. Screenshots go to .cache/screenshots (git-ignored) for a person to look at.
import {mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import type {Browser, Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {renderHtml} from '../src/render/html/page.js'
import type {Figure} from '../src/render/chart-data.js'
import {renderMarkdown, reportSections} from '../src/render/markdown.js'
import {mergeReports, type Machine} from '../src/report/merge.js'
import {parseReportText} from '../src/report/read.js'
import {CANDIDATES, SCREENSHOT_DIR, findBrowser, launchBrowser} from './support/browser.js'
import {mermaidBlocks} from './support/mermaid.js'

const fixture = (name: string) => parseReportText(readFileSync(new URL(`./fixtures/reports/${name}.json`, import.meta.url), 'utf8'), `${name}.json`)
// SURVEY_REPORT_JSON=file.json (a saved `report --json`) adds a real run to the cases, to look at its charts too.
const fromRun = process.env.SURVEY_REPORT_JSON
const cases: Record<string, () => Machine[]> = {
  linux: () => mergeReports(fixture('linux')),
  merged: () => mergeReports([...fixture('linux'), ...fixture('darwin'), ...fixture('windows')]),
  ...(fromRun ? {run: () => mergeReports(parseReportText(readFileSync(fromRun, 'utf8'), path.basename(fromRun)))} : {}),
}
const MERMAID_BUNDLE = path.join(path.dirname(createRequire(import.meta.url).resolve('mermaid/package.json')), 'dist', 'mermaid.min.js')

/** The charts the report data holds, section by section, as the page should draw them: payload's a figure per machine. */
function expectedCharts(machines: readonly Machine[]): {section: string; kind: string}[] {
  const charts = (figure: Figure): string[] => {
    switch (figure.kind) {
      case 'bars':
        return [figure.metric]
      case 'scale':
        return [`scale-${figure.part}`]
      case 'payload':
        return figure.machines.map(() => 'payload')
      case 'crash':
      case 'distribution':
        return [figure.kind]
      case 'claims':
        return []
    }
  }
  return reportSections(machines).flatMap((section) => section.blocks.flatMap((block) => (typeof block !== 'string' && block.figure ? charts(block.figure).map((kind) => ({section: section.id, kind})) : [])))
}

const browser = findBrowser()
const skip = 'skip' in browser ? ` (skipped: ${browser.skip})` : ''
const temp = mkdtempSync(path.join(tmpdir(), 'plugin-survey-browser-'))

/** A page that records every request it makes besides `allowed` and every error it logs; the network is refused. */
async function watchedPage(instance: Browser, width: number, allowed?: string) {
  const context = await instance.newContext({viewport: {width, height: 900}})
  await context.route(/^(https?|wss?):/, (route) => route.abort())
  const page = await context.newPage()
  const requests: string[] = []
  const errors: string[] = []
  page.on('request', (request) => request.url() !== allowed && requests.push(request.url()))
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()))
  page.on('pageerror', (error) => errors.push(error.message))
  return {page, requests, errors}
}

interface DrawnFigure {
  section: string
  kind: string
  svgs: number
  /** SVGs laid out with a real size and holding marks. */
  drawn: number
}

const figuresOf = (page: Page) =>
  page.$$eval('figure.chart', (figures) =>
    figures.map((figure): DrawnFigure => {
      const svgs = [...figure.querySelectorAll('svg')]
      const drawn = svgs.filter((svg) => {
        const box = svg.getBoundingClientRect()
        return box.width > 100 && box.height > 50 && svg.querySelectorAll('circle, rect, path, line').length > 3
      })
      return {section: figure.closest('section')!.id, kind: figure.className.replace('chart ', ''), svgs: svgs.length, drawn: drawn.length}
    }),
  )

describe.skipIf(skip !== '')(`the reports in headless Chromium${skip}`, () => {
  let instance: Browser

  beforeAll(async () => {
    if ('skip' in browser) return
    instance = await launchBrowser(browser.executablePath)
    mkdirSync(SCREENSHOT_DIR, {recursive: true})
  })

  afterAll(async () => {
    await instance?.close()
    rmSync(temp, {recursive: true, force: true})
  })

  for (const [name, machines] of Object.entries(cases)) {
    it(`${name}: the HTML report opens offline, shows every section and draws every chart, with no error`, async () => {
      const file = path.join(temp, `${name}.html`)
      writeFileSync(file, renderHtml(machines()))
      const url = pathToFileURL(file).href
      const {page, requests, errors} = await watchedPage(instance, 1360, url)
      await page.goto(url)
      const sections = await page.$$eval('main > section', (all) => all.map((s) => ({id: s.id, height: s.getBoundingClientRect().height})))
      expect(sections.map((s) => s.id)).toEqual(['title', 'environment', 'summary', 'placement', 'latency', 'payload', 'crash', 'scale', 'platforms', 'claims'])
      expect(sections.every((s) => s.height > 20)).toBe(true)
      const figures = await figuresOf(page)
      // One drawn chart for each chart of the data, in its section: none missing, none empty, none extra.
      expect(figures.map(({section, kind}) => ({section, kind}))).toEqual(expectedCharts(machines()))
      expect(figures.map((f) => f.kind)).toEqual(expect.arrayContaining(['call', 'cold-start', 'memory', 'payload', 'crash', 'distribution', 'scale-memory', 'scale-throughput']))
      for (const figure of figures) {
        expect(figure.svgs, `${figure.section} ${figure.kind}`).toBeGreaterThan(0)
        expect(figure, `${figure.section} ${figure.kind}`).toEqual({...figure, drawn: figure.svgs})
      }
      const screenshot = path.join(SCREENSHOT_DIR, `report-${name}.png`)
      rmSync(screenshot, {force: true})
      await page.screenshot({path: screenshot, fullPage: true})
      expect(statSync(screenshot).size).toBeGreaterThan(10_000)
      expect(errors).toEqual([])
      expect(requests).toEqual([])
    })
  }

  /** Renders each mermaid text in the page and measures its category labels. */
  async function renderMermaid(page: Page, blocks: readonly string[]) {
    await page.setContent('<!doctype html><html><body style="margin: 16px; width: 830px"><main></main></body></html>')
    await page.addScriptTag({path: MERMAID_BUNDLE})
    return page.evaluate(async (texts) => {
      const mermaid = (window as unknown as {mermaid: {initialize(c: object): void; render(id: string, text: string): Promise<{svg: string}>}}).mermaid
      mermaid.initialize({startOnLoad: false})
      const out = []
      for (const [index, text] of texts.entries()) {
        const holder = document.createElement('div')
        holder.innerHTML = (await mermaid.render(`chart${index}`, text)).svg
        document.querySelector('main')!.append(holder)
        const svg = holder.querySelector('svg')!
        const horizontal = text.includes('xychart-beta horizontal')
        const labels = [...svg.querySelectorAll(`${horizontal ? '.left-axis' : '.bottom-axis'} .label text`)].map((t) => t.getBoundingClientRect())
        const frame = svg.getBoundingClientRect()
        const overlaps = labels.some((a, i) => labels.some((b, j) => j > i && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom))
        const inside = labels.every((box) => box.left >= frame.left - 0.5 && box.right <= frame.right + 0.5)
        out.push({horizontal, labels: labels.length, bars: svg.querySelectorAll('[class^="bar-plot"] rect').length, lines: svg.querySelectorAll('[class^="line-plot"] path').length, overlaps, inside, width: frame.width})
      }
      return out
    }, blocks)
  }

  for (const [name, machines] of Object.entries(cases)) it(`${name}: every mermaid chart of the markdown report (scale's included) renders with mermaid, one label per line, none overlapping or cut off`, async () => {
    const blocks = mermaidBlocks(renderMarkdown(machines()))
    expect(blocks.some((block) => block.includes('Throughput against C'))).toBe(true)
    const {page, requests, errors} = await watchedPage(instance, 880)
    const charts = await renderMermaid(page, blocks)
    await page.screenshot({path: path.join(SCREENSHOT_DIR, `markdown-charts-${name}.png`), fullPage: true})
    expect(charts).toHaveLength(blocks.length)
    for (const chart of charts) {
      expect(chart.overlaps).toBe(false)
      expect(chart.inside).toBe(true)
      expect(chart.width).toBeLessThanOrEqual(830)
      if (chart.horizontal) expect(chart.bars).toBe(chart.labels)
      else expect(chart.lines).toBeGreaterThan(0)
    }
    expect(errors).toEqual([])
    expect(requests).toEqual([])
  })
  it('the label check catches overlapping labels: a vertical bar chart of twelve long mechanism names', async () => {
    const names = ['go-stdlib-plugin', 'go-hashicorp', 'floor-postmessage', 'floor-unix-socket', 'ts-host-go-plugin', 'go-host-ts-plugin', 'floor-go-direct-call', 'go-compiled-in', 'worker-thread', 'compiled-in', 'in-process', 'child-grpc']
    const vertical = `xychart-beta\n  x-axis [${names.map((n) => `"${n}"`).join(', ')}]\n  y-axis "p50" 0 --> 10\n  bar [${names.map((_, i) => i % 9).join(', ')}]`
    const {page} = await watchedPage(instance, 880)
    const [chart] = await renderMermaid(page, [vertical])
    expect(chart!.overlaps).toBe(true)
  })
})

describe('finding the browser', () => {
  it('.ci/run looks for the browsers this test looks for before it installs chromium', () => {
    const run = readFileSync(new URL('../.ci/run', import.meta.url), 'utf8')
    expect(/^BROWSERS="(.*)"$/m.exec(run)?.[1]?.split(' ')).toEqual(CANDIDATES)
    expect(run).toContain('CHROMIUM_PATH')
  })
})
