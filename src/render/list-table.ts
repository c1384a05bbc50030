// `list` as a terminal table: plain text unless `color`.
import Table from 'cli-table3'
import type {ListedMechanism} from '../report/list.js'
import {palette} from './style.js'

export function renderList(listed: readonly ListedMechanism[], color: boolean): string {
  const c = palette(color)
  const table = new Table({head: ['id', 'family', 'what it is', 'runs here'], style: {head: [], border: []}})
  for (const m of listed) table.push([m.id, m.family, m.title, m.supported ? c.green('yes') : c.yellow(`no: ${m.reason}`)])
  return table.toString()
}
