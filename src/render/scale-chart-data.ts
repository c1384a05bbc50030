// What the Scale section's charts show, as data: memory against N and throughput against C, a panel per floor
// with the rows over it. The mermaid charts (markdown) and the SVG plots (HTML) both draw from these.
import {callsAt, instancesAt, scaleColumns, type ScaleRow, type ScaleRowOk} from '../results/scale.js'
import type {Interval as FigureInterval} from '../results/figures.js'

/** A range in the figure's own unit (chart-data's Interval: the bounds without their confidence). */
type Interval = Pick<FigureInterval, 'low' | 'high'>

export type ScalePart = 'memory' | 'throughput'

export interface ScalePoint {
  /** N plugins, or C calls in flight. */
  x: number
  /** Bytes of the whole process tree, or calls/s. */
  y: number
  /** Throughput only: the slowest and fastest of the run's five equal windows. */
  spread?: Interval
}

export interface ScaleLine {
  mechanism: string
  role: 'row' | 'floor'
  points: ScalePoint[]
}

/** A floor's line and the lines of the rows measured against it; `floor` is absent for rows without one in this run. */
export interface ScalePanel {
  floor?: string
  lines: ScaleLine[]
}

export interface ScaleChart {
  kind: 'scale'
  part: ScalePart
  machine: string
  /** The N (or C) values every line has a point at. */
  xs: number[]
  panels: ScalePanel[]
}

// A line only where the row has a figure at every N (or C): a line with a gap would mislead.
function line(row: ScaleRowOk, part: ScalePart, xs: readonly number[]): ScaleLine | undefined {
  const points = xs.map((x): ScalePoint | undefined => {
    if (part === 'memory') {
      const p = instancesAt(row, x)
      return p !== undefined && p.status !== 'failed' && p.memory.measured ? {x, y: p.memory.totalBytes} : undefined
    }
    const p = callsAt(row, x)
    return p?.status === 'ok' ? {x, y: p.callsPerSec, spread: {low: Math.min(...p.windowCallsPerSec), high: Math.max(...p.windowCallsPerSec)}} : undefined
  })
  if (!points.every((p) => p !== undefined)) return undefined
  return {mechanism: row.mechanism, role: row.family === 'floor' ? 'floor' : 'row', points: points as ScalePoint[]}
}

/** One machine's scale rows as panels: floors in the order the rows name them, rows without a floor last. */
export function scaleChart(rows: readonly ScaleRow[], part: ScalePart, machine: string): ScaleChart {
  const {ns, cs} = scaleColumns(rows)
  const xs = part === 'memory' ? ns : cs
  const measured = rows.filter((row): row is ScaleRowOk => row.status === 'ok' && (part === 'memory' ? row.instances : row.calls).status === 'measured')
  const lines = new Map(measured.flatMap((row) => {
    const drawn = line(row, part, xs)
    return drawn ? [[row.mechanism, {row, drawn}] as const] : []
  }))
  const floorOf = ({row}: {row: ScaleRowOk}) => {
    const floor = row.family === 'floor' ? row.mechanism : row.floor
    return floor !== undefined && lines.has(floor) ? floor : undefined
  }
  const panels = new Map<string | undefined, ScalePanel>()
  for (const entry of lines.values()) {
    const floor = floorOf(entry)
    if (!panels.has(floor)) panels.set(floor, floor === undefined ? {lines: []} : {floor, lines: []})
    panels.get(floor)!.lines.push(entry.drawn)
  }
  // The floor's own line first in its panel, the panel without a floor last.
  const ordered = [...panels.values()].map((panel) => ({...panel, lines: [...panel.lines].sort((a, b) => (a.role === b.role ? 0 : a.role === 'floor' ? -1 : 1))}))
  return {kind: 'scale', part, machine, xs, panels: [...ordered.filter((p) => p.floor !== undefined), ...ordered.filter((p) => p.floor === undefined)]}
}
