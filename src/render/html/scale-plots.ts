// The Scale section's charts as SVG: memory against N and throughput against C, a small log-log panel per floor
// with the rows over it, all panels of a chart on one y scale.
import type {ScaleChart, ScalePanel} from '../scale-chart-data.js'
import {formatBytes, formatCount} from '../format.js'
import {colouredLines, logDomain, logLogPlot, panelParts, logTicks, type LogLogAxes, type LogLogLine} from './plots.js'

const MIB = 1024 ** 2

function axes(chart: ScaleChart): LogLogAxes {
  const values = chart.panels.flatMap((panel) => panel.lines.flatMap((line) => line.points.flatMap((p) => [p.y, ...(p.spread && p.spread.low > 0 ? [p.spread.low, p.spread.high] : [])])))
  const yDomain = chart.part === 'memory' ? logDomain(values.map((bytes) => bytes / MIB), 4).map((mib) => mib * MIB) as [number, number] : logDomain(values)
  const at = chart.part === 'memory' ? 'N' : 'C'
  if (chart.part === 'memory') {
    // Powers of 4 MiB give round labels (1 MiB, 4 MiB, ... 1 GiB) where powers of ten of bytes would not.
    const yTicks = logTicks(yDomain[0] / MIB, yDomain[1] / MIB, 4).map((mib) => mib * MIB)
    return {xs: chart.xs, xText: String, xLabel: 'N plugins', yDomain, yTicks, yText: formatBytes, title: (mechanism, n, bytes) => `${mechanism}, ${at}=${n}: ${formatBytes(bytes)} for the whole process tree`}
  }
  return {xs: chart.xs, xText: String, xLabel: 'C calls in flight', yDomain, yTicks: logTicks(...yDomain), yText: (rate) => `${formatCount(rate)}/s`, title: (mechanism, c, rate) => `${mechanism}, ${at}=${c}: ${formatCount(rate)} calls/s`}
}

/** A plot per panel of the chart, each with the panel's lines; panels share the chart's y scale. */
export function scalePanels(chart: ScaleChart, document: Document): {panel: ScalePanel & {part?: string}; lines: LogLogLine[]; svg: string}[] {
  const shared = axes(chart)
  return chart.panels.flatMap((panel) => panelParts(panel)).map((panel) => {
    const lines = colouredLines(panel.lines, (line) => line.points.map((p) => ({x: p.x, y: p.y, ...(p.spread ? {low: p.spread.low, high: p.spread.high} : {})})))
    return {panel, lines, svg: logLogPlot(lines, shared, document)}
  })
}
