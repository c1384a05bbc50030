// The Scale section's charts as data and as SVG, on hand-built scale rows: a panel per floor with its rows,
// throughput's window spread as error bars, and a panel with more rows than colours split in parts.
import {JSDOM} from 'jsdom'
import {describe, expect, it} from 'vitest'
import {renderHtml} from '../src/render/html/page.js'
import {scalePanels} from '../src/render/html/scale-plots.js'
import {scaleChart} from '../src/render/scale-chart-data.js'
import {mergeReports} from '../src/report/merge.js'
import {callsPointFailed, callsPointOk, instancesPointOk, measuredPart, notApplicablePart, scaleRowOk, scaleRowSkipped, type ScaleRow} from '../src/results/scale.js'
import {testReport} from './support/reports.js'

const {document} = new JSDOM('').window
const page = (html: string) => new JSDOM(html).window.document

const MIB = 1024 ** 2
const instances = (totalsMiB: number[]) =>
  measuredPart(totalsMiB.map((mib, index) => instancesPointOk({n: [1, 10][index]!, allAnsweredMs: 10, startP50Ms: 5, memory: {measured: true, method: 'pss', hostBytes: 30 * MIB, totalBytes: mib * MIB, perPluginBytes: 1, processes: 2}})))
const calls = (rates: number[]) =>
  measuredPart(rates.map((rate, index) => callsPointOk({c: [1, 8][index]!, calls: 100, wallMs: 10, callsPerSec: rate, windowCallsPerSec: [rate * 0.5, rate, rate * 2], p50Ns: 1, p99Ns: 2, capped: false})))

const rows: ScaleRow[] = [
  scaleRowOk({mechanism: 'child-rpc', family: 'node', floor: 'floor-unix-socket'}, instances([44, 145]), calls([13_000, 78_000])),
  scaleRowOk({mechanism: 'go-pie', family: 'go'}, instances([20, 40]), calls([15_000, 43_000])),
  // A failed C point leaves the row out of the throughput chart: a line with a gap would mislead.
  scaleRowOk({mechanism: 'child-grpc', family: 'node', floor: 'floor-http2'}, instances([60, 180]), measuredPart([callsPointOk({c: 1, calls: 1, wallMs: 1, callsPerSec: 1000, windowCallsPerSec: [1000], p50Ns: 1, p99Ns: 1, capped: false}), callsPointFailed(8, 'WRONG_ANSWER', 'wrong answer')])),
  scaleRowOk({mechanism: 'in-process', family: 'node', floor: 'floor-direct-call'}, instances([30, 31]), notApplicablePart('calls never overlap')),
  scaleRowOk({mechanism: 'floor-unix-socket', family: 'floor'}, instances([42, 137]), calls([11_300, 108_000])),
  scaleRowSkipped({mechanism: 'go-hashicorp', family: 'go'}, 'go not found on PATH'),
]

describe('the scale charts as data', () => {
  it('puts each floor first in its panel with the rows over it, and the rows without a floor in this run last', () => {
    const memory = scaleChart(rows, 'memory', 'linux-x64')
    expect(memory.xs).toEqual([1, 10])
    expect(memory.panels.map((p) => [p.floor, p.lines.map((l) => `${l.mechanism}:${l.role}`)])).toEqual([
      ['floor-unix-socket', ['floor-unix-socket:floor', 'child-rpc:row']],
      [undefined, ['go-pie:row', 'child-grpc:row', 'in-process:row']],
    ])
    expect(memory.panels[0]!.lines[1]!.points).toEqual([{x: 1, y: 44 * MIB}, {x: 10, y: 145 * MIB}])
  })

  it('gives throughput its windows as a spread, and leaves out a row with a failed point', () => {
    const throughput = scaleChart(rows, 'throughput', 'linux-x64')
    expect(throughput.xs).toEqual([1, 8])
    expect(throughput.panels.flatMap((p) => p.lines.map((l) => l.mechanism))).toEqual(['floor-unix-socket', 'child-rpc', 'go-pie'])
    expect(throughput.panels[0]!.lines[1]!.points[1]).toEqual({x: 8, y: 78_000, spread: {low: 39_000, high: 156_000}})
  })
})

describe('the scale charts as SVG', () => {
  const svgOf = (part: 'memory' | 'throughput') => scalePanels(scaleChart(rows, part, 'linux-x64'), document)

  it('draws a log-log panel per floor: the floor dashed and grey, a line per row, ticks a person reads', () => {
    const [panel] = svgOf('memory')
    const doc = page(panel!.svg)
    expect(panel!.lines.map((l) => [l.mechanism, l.colour, l.floor])).toEqual([
      ['floor-unix-socket', '#6b6b6b', true],
      ['child-rpc', '#1f77b4', false],
    ])
    expect([...doc.querySelectorAll('g[aria-label="line"]')].map((g) => g.getAttribute('stroke-dasharray'))).toEqual(['5 3', null])
    const ticks = [...doc.querySelectorAll('[aria-label="y-axis tick label"] text')].map((t) => t.textContent)
    expect(ticks).toEqual(['16 MiB', '64 MiB', '256 MiB'])
    expect([...doc.querySelectorAll('[aria-label="x-axis tick label"] text')].map((t) => t.textContent)).toEqual(['1', '10'])
    expect(doc.querySelectorAll('g.interval')).toHaveLength(0)
  })

  it('draws the slowest and fastest window of each throughput point as an error bar', () => {
    const [floorPanel, noFloor] = svgOf('throughput')
    expect(page(floorPanel!.svg).querySelectorAll('g.interval > line')).toHaveLength(4)
    expect(page(noFloor!.svg).querySelectorAll('g.interval > line')).toHaveLength(2)
    expect([...page(floorPanel!.svg).querySelectorAll('[aria-label="y-axis tick label"] text')].map((t) => t.textContent)).toEqual(['1k/s', '10k/s', '100k/s', '1M/s'])
  })

  it('splits a panel with more rows than colours, the floor in each part', () => {
    const many = Array.from({length: 10}, (_, index) => scaleRowOk({mechanism: `row-${index}`, family: 'node', floor: 'floor-unix-socket'}, instances([40, 100]), notApplicablePart('-')))
    const panels = scalePanels(scaleChart([...many, rows[4]!], 'memory', 'linux-x64'), document)
    expect(panels.map((p) => [p.panel.part, p.lines.length, p.lines[0]!.mechanism])).toEqual([
      ['1 of 2', 8, 'floor-unix-socket'],
      ['2 of 2', 4, 'floor-unix-socket'],
    ])
  })

  it('puts both charts in the HTML report, in the Scale section', () => {
    const doc = page(renderHtml(mergeReports([{report: testReport({scale: rows})}])))
    expect([...doc.querySelectorAll('#scale figure.chart')].map((f) => [f.className, f.querySelectorAll('svg').length])).toEqual([
      ['chart scale-memory', 2],
      ['chart scale-throughput', 2],
    ])
    expect(doc.querySelector('#scale figure.scale-memory .panel h4')!.textContent).toBe('over floor-unix-socket')
  })
})
