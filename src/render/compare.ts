// A comparison of two runs as a terminal table or as markdown (for a job summary): a line per figure, the change
// with its interval, "~" where it is not significant.
import Table from 'cli-table3'
import type {Comparison, FigureChange, MachineComparison} from '../report/compare.js'
import {formatBytes, formatMs, formatNs, formatRatio} from './format.js'
import {palette} from './style.js'

const HEAD = ['mechanism', 'figure', 'before', 'after', 'change (95% interval)', 'p']

function figureName(figure: string): string {
  return figure.replace(/^coldStart/, 'cold start').replace(/^call$/, 'call p50').replace(/^cold start$/, 'cold start p50')
}

function value(change: FigureChange, v: number): string {
  return change.unit === 'ns' ? formatNs(v) : change.unit === 'ms' ? formatMs(v) : change.unit === 'bytes' ? formatBytes(v) : formatRatio(v)
}

const percent = (factor: number) => {
  const pct = (factor - 1) * 100
  return `${pct >= 0 ? '+' : '−'}${Math.abs(pct) >= 10 ? Math.abs(pct).toFixed(0) : Math.abs(pct).toFixed(1)}%`
}

/** "+12% (+5.1% to +20%)", "~" when not significant, "?" when too few rounds to tell. */
export function changeCell(change: FigureChange): string {
  if (change.verdict === 'untested') return `? (${change.beforeRounds} and ${change.afterRounds} rounds: too few to tell)`
  if (change.verdict === 'same') return '~'
  const c = change.change!
  return `${percent(c.factor)} (${percent(c.low)} to ${percent(c.high)})${change.regression ? ' ⚠ regression' : ''}`
}

const pCell = (change: FigureChange) => (change.p === undefined ? '-' : `p=${change.p < 0.001 ? change.p.toExponential(1) : change.p.toFixed(3)}`)

function cells(change: FigureChange): string[] {
  return [change.mechanism, figureName(change.figure), value(change, change.before), value(change, change.after), changeCell(change), pCell(change)]
}

function statusLines(machine: MachineComparison): string[] {
  return machine.statusChanges.map((s) => `${s.mechanism}${s.part ? ` (${s.part})` : ''}: ${s.before} → ${s.after}${s.reason ? ` (${s.reason})` : ''}`)
}

/** The verdict in one sentence: the significant regressions beyond the threshold, or none. */
export function comparisonSummary(comparison: Comparison): string {
  const regressions = comparison.machines.flatMap((m) => m.figures.filter((f) => f.regression).map((f) => `${comparison.machines.length > 1 ? `${m.label} ` : ''}${f.mechanism} ${figureName(f.figure)} ${percent(f.change!.factor)}`))
  const rule = `significant (Mann-Whitney p < ${comparison.alpha}) and more than ${comparison.thresholdPct}% slower`
  return regressions.length === 0 ? `No regression: no figure is ${rule}.` : `${regressions.length} regression${regressions.length === 1 ? '' : 's'}, ${rule}: ${regressions.join('; ')}.`
}

function machineTitle(machine: MachineComparison): string {
  return machine.beforeLabel ? `${machine.beforeLabel} → ${machine.label} (different machines)` : machine.label
}

export function renderComparisonText(comparison: Comparison, options: {color: boolean}): string {
  const c = palette(options.color)
  const out: string[] = []
  for (const machine of comparison.machines) {
    if (comparison.machines.length > 1 || machine.beforeLabel) out.push(c.bold(machineTitle(machine)))
    const table = new Table({head: HEAD.map((h) => c.bold(h)), style: {head: [], border: [], compact: true}})
    for (const change of machine.figures) {
      const row = cells(change)
      const colour = change.regression ? c.red : change.verdict === 'better' ? c.green : (text: string) => text
      table.push([...row.slice(0, 4), colour(row[4]!), row[5]!])
    }
    out.push(machine.figures.length > 0 ? table.toString() : 'No figure measured in both runs.')
    out.push(...statusLines(machine).map((line) => c.yellow(line)))
  }
  out.push(...comparison.unmatched.map((m) => c.dim(`${m.label}: only in the ${m.side === 'before' ? 'baseline' : 'new run'}`)))
  out.push(comparisonSummary(comparison))
  return `${out.join('\n')}\n`
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|')

export function renderComparisonMarkdown(comparison: Comparison, heading = '## Changes since the baseline'): string {
  const out = [
    heading,
    `Each figure of this run against the baseline's: the change as the median of all pairwise ratios of their rounds with its 95% interval (Hodges-Lehmann), and a Mann-Whitney U test on the rounds; *~* when the change is not significant at p < ${comparison.alpha}. Rounds within a run vary less than runs do: read a small significant change as a lead, not a verdict.`,
    `**${comparisonSummary(comparison)}**`,
  ]
  for (const machine of comparison.machines) {
    if (comparison.machines.length > 1 || machine.beforeLabel) out.push(`### ${machineTitle(machine)}`)
    if (machine.figures.length === 0) out.push('_No figure measured in both runs._')
    else out.push([`| ${HEAD.join(' | ')} |`, `| ${HEAD.map(() => '---').join(' | ')} |`, ...machine.figures.map((f) => `| ${cells(f).map(escapeCell).join(' | ')} |`)].join('\n'))
    const status = statusLines(machine)
    if (status.length > 0) out.push(status.map((line) => `- ${line}`).join('\n'))
  }
  if (comparison.unmatched.length > 0) out.push(comparison.unmatched.map((m) => `- ${m.label}: only in the ${m.side === 'before' ? 'baseline' : 'new run'}`).join('\n'))
  return out.join('\n\n')
}
