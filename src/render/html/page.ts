// The report as one self-contained HTML page: the markdown report's sections, their text converted with marked,
// their figures drawn as inline SVG. Nothing is loaded when the page is viewed: no script, no stylesheet, no font.
import {JSDOM} from 'jsdom'
import {Marked, type Tokens} from 'marked'
import type {Verdict} from '../../report/claims/index.js'
import type {ClaimWords} from '../claims.js'
import type {Machine} from '../../report/merge.js'
import type {BarChart, CellOutcome, Distribution, DistributionChart, Figure, LineChart} from '../chart-data.js'
import {reportSections, type Block} from '../markdown.js'
import type {Comparison} from '../../report/compare.js'
import {PAGE_STYLE} from './style.js'
import {formatNs} from '../format.js'
import {FLOOR_COLOUR, OUTCOME_COLOURS, OUTCOME_WORDS, ROW_COLOUR, colouredLines, crashPlot, distributionDomain, histogramPlot, memoryPlot, payloadDomain, payloadPanels, payloadPlot, timePlot, type LogLogLine} from './plots.js'
import type {ScaleChart} from '../scale-chart-data.js'
import {scalePanels} from './scale-plots.js'

export const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

// The report's own markdown uses raw HTML only for its <details> blocks; any other tag comes from data (an error
// message saying "<nil>") and is shown as text.
const OWN_HTML = /^\s*(<details><summary>[^<]*<\/summary>|<\/details>)\s*$/

const markdown = new Marked({gfm: true, async: false})
markdown.use({renderer: {html: ({text}: Tokens.HTML | Tokens.Tag) => (OWN_HTML.test(text) ? text : escapeHtml(text))}})

const toHtml = (text: string) => markdown.parse(text) as string

const VERDICT_CLASS: Record<Verdict, string> = {confirmed: 'confirmed', refuted: 'refuted', 'not measurable': 'unmeasured'}

function claimsTable(claims: readonly ClaimWords[]): string {
  const rows = claims.map(
    (c) =>
      `<tr><td><span class="verdict ${VERDICT_CLASS[c.verdict]}">${escapeHtml(c.verdict)}</span></td><td><q>${escapeHtml(c.claim)}</q><div class="about">said of ${escapeHtml(c.about)}</div></td>` +
      `<td class="rule">${toHtml(`${c.rule}.`)}</td><td><ul>${c.evidence.map((e) => `<li>${markdown.parseInline(e) as string}</li>`).join('')}</ul></td></tr>`,
  )
  return `<table class="claims"><thead><tr><th>verdict</th><th>claim</th><th>rule</th><th>evidence</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
}

const swatch = (colour: string, text: string) => `<span class="swatch"><i style="background:${colour}"></i>${escapeHtml(text)}</span>`

function barLegend(chart: BarChart): string {
  const bars = chart.machines.flatMap((m) => m.groups.flatMap((g) => g.bars))
  const floors = bars.some((b) => b.role === 'floor')
  const parts = [swatch(ROW_COLOUR, 'mechanism')]
  if (floors) parts.push(swatch(FLOOR_COLOUR, 'its floor: the bare transport, measured in the same run'))
  if (floors && chart.unit === 'ns') parts.push('<span class="swatch"><i class="link"></i>from the floor to the row: the overhead</span>')
  const interval = bars.some((b) => b.interval)
  if (interval) parts.push('<span class="swatch"><i class="errorbar"></i>95% confidence interval</span>')
  return `<figcaption>${parts.join(' ')}</figcaption>`
}

const crashLegend = () =>
  `<figcaption>${(Object.keys(OUTCOME_COLOURS) as CellOutcome[]).map((o) => swatch(OUTCOME_COLOURS[o], OUTCOME_WORDS[o])).join(' ')} <span class="swatch"><i class="unexpected"></i>differs from the documented expectation (also marked !)</span> · in a cell: the detection time, or how the host ended; <em>N left</em>: plugin processes left running; a blank cell: the row does not take that fault</figcaption>`

function linePanel(panel: {floor?: string; part?: string}, svg: string, lines: readonly LogLogLine[]): string {
  const heading = `${panel.floor ? `over <code>${escapeHtml(panel.floor)}</code>` : 'rows without a floor in this run'}${panel.part ? ` (${panel.part})` : ''}`
  const legend = lines.map((line) => swatch(line.colour, line.floor ? `${line.mechanism} (floor, dashed)` : line.mechanism)).join(' ')
  return `<div class="panel"><h4>${heading}</h4>${svg}<div class="legend">${legend}</div></div>`
}

/** Small multiples: a panel per floor with the rows over it, each with its legend, y axes shared. */
function payloadFigure(machine: LineChart['machines'][number], document: Document): string {
  const domain = payloadDomain(machine)
  const panels = payloadPanels(machine).map((panel) => {
    const lines = colouredLines(panel.lines, () => [])
    return linePanel(panel, payloadPlot(panel, machine.sizes, domain, document), lines)
  })
  return `<div class="panels">${panels.join('')}</div><figcaption>Call p50 (log scale) against the payload echoed (log scale); all panels share one scale.</figcaption>`
}

const SCALE_CAPTIONS: Record<ScaleChart['part'], string> = {
  memory: "Resident memory of the host's whole process tree (log scale) with N plugins loaded at once (log scale); all panels share one scale.",
  throughput: 'Calls per second (log scale) with C calls in flight on one plugin (log scale); the bar at each point spans the slowest to the fastest of the run\'s five equal windows; all panels share one scale.',
}

function scaleFigure(chart: ScaleChart, document: Document): string {
  const panels = scalePanels(chart, document).map(({panel, lines, svg}) => linePanel(panel, svg, lines))
  return `<div class="panels">${panels.join('')}</div><figcaption>${SCALE_CAPTIONS[chart.part]}</figcaption>`
}

const modesHtml = (row: Distribution) => (row.modes ? ` <span class="modes">bimodal: ${row.modes.map((m) => `${formatNs(m.ns)} (${Math.round(m.share * 100)}%)`).join(' and ')}</span>` : '')

const DISTRIBUTION_CAPTION = '<figcaption>The share of calls in each bin of latency (log scale, one axis for all rows); a dashed red line marks each mode of a bimodal row.</figcaption>'

function distributionFigure(rows: readonly Distribution[], document: Document): string {
  const domain = distributionDomain(rows)
  const panels = rows.map((row) => `<div class="panel"><h4><code>${escapeHtml(row.mechanism)}</code>${modesHtml(row)}</h4>${histogramPlot(row, domain, document)}</div>`)
  return `<div class="panels">${panels.join('')}</div>${DISTRIBUTION_CAPTION}`
}

/** Several machines side by side: a line per mechanism, a column per machine, one latency axis for all. */
function machinesDistributionFigure(chart: DistributionChart, document: Document): string {
  const domain = distributionDomain(chart.machines.flatMap((m) => m.rows))
  const mechanisms = [...new Set(chart.machines.flatMap((m) => m.rows.map((row) => row.mechanism)))]
  const head = chart.machines.map((m) => `<h4 class="machine">${escapeHtml(m.machine)}</h4>`).join('')
  const lines = mechanisms.map((mechanism) => {
    const cells = chart.machines.map((m) => {
      const row = m.rows.find((r) => r.mechanism === mechanism)
      return row ? `<div class="panel"><h4><code>${escapeHtml(mechanism)}</code>${modesHtml(row)}</h4>${histogramPlot(row, domain, document)}</div>` : `<div class="panel"><h4><code>${escapeHtml(mechanism)}</code></h4><p class="absent">not timed call by call on ${escapeHtml(m.machine)}</p></div>`
    })
    return cells.join('')
  })
  return `<div class="machines" style="grid-template-columns: repeat(${chart.machines.length}, 340px)">${head}${lines.join('')}</div>${DISTRIBUTION_CAPTION}`
}

const figure = (kind: string, body: string, caption = '') => `<figure class="chart ${kind}">${body}${caption}</figure>`

function figureHtml(value: Figure, document: Document): string {
  switch (value.kind) {
    case 'bars':
      return figure(value.metric, value.unit === 'bytes' ? memoryPlot(value, document) : timePlot(value, document), barLegend(value))
    case 'payload':
      return value.machines.map((m) => figure('payload', `${value.machines.length > 1 ? `<h4>${escapeHtml(m.machine)}</h4>` : ''}${payloadFigure(m, document)}`)).join('\n')
    case 'crash':
      return figure('crash', crashPlot(value, document), crashLegend())
    case 'distribution':
      return figure('distribution', value.machines.length > 1 ? machinesDistributionFigure(value, document) : distributionFigure(value.machines[0]?.rows ?? [], document))
    case 'scale':
      return figure(`scale-${value.part}`, scaleFigure(value, document))
    case 'claims':
      return claimsTable(value.claims)
  }
}

// Colour emoji need a font the viewer may not have (a CI runner, a bare Linux desktop): the page draws the
// report's marks as plain symbols in colour instead.
const MARKS: Record<string, string> = {
  '✅': '<span class="mark yes">✓</span>',
  '❌': '<span class="mark no">✗</span>',
  '💥': '<span class="mark died">✖</span>',
  '🟡': '<span class="mark partial">●</span>',
  '➖': '<span class="mark none">–</span>',
}
const withMarks = (html: string) => html.replace(/✅|❌|💥|🟡|➖/gu, (mark) => MARKS[mark]!)

function blockHtml(block: Block, document: Document): string {
  if (typeof block === 'string') return withMarks(toHtml(block))
  return block.figure ? figureHtml(block.figure, document) : ''
}

/** The whole report as one HTML page; a pure function of the machines' reports. */
export function renderHtml(machines: readonly Machine[], comparison?: Comparison): string {
  const {document} = new JSDOM('').window
  const sections = reportSections(machines, comparison)
  const nav = sections
    .filter((s) => s.id !== 'title')
    .map((s) => `<a href="#${s.id}">${escapeHtml(s.heading)}</a>`)
    .join('')
  const body = sections.map((s) => `<section id="${s.id}">\n${s.blocks.map((b) => blockHtml(b, document)).join('\n')}\n</section>`).join('\n')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>plugin-survey report</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<nav>${nav}</nav>
<main>
${body}
</main>
</body>
</html>
`
}
