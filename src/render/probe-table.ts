// `probe`'s conformance checks as a terminal table: plain text unless `color`.
import Table from 'cli-table3'
import type {ConformanceReport} from '../protocol/conformance.js'
import {palette} from './style.js'

export function renderProbe(report: ConformanceReport, color: boolean): string {
  const c = palette(color)
  const mark = {pass: c.green('pass'), warn: c.yellow('warn'), fail: c.red('FAIL'), skip: c.dim('skip')}
  const table = new Table({head: ['check', 'result', 'detail'], style: {head: [], border: []}, wordWrap: true, colWidths: [26, 8, 80]})
  for (const check of report.checks) table.push([check.id, mark[check.status], check.detail])
  const verdict = report.passed ? c.green("PASS: the plugin conforms to go-plugin's gRPC protocol") : c.red('FAIL: see the checks marked FAIL')
  return `${report.command.join(' ')}\n${table.toString()}\n${verdict}`
}
