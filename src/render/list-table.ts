import Table from 'cli-table3'
import type {ListedRow} from '../report/list.js'
import {palette} from './style.js'

/** `list` as a terminal table: plain text unless `color`. */
export function renderList(rows: readonly ListedRow[], color: boolean): string {
  const c = palette(color)
  const table = new Table({head: ['id', 'family', 'what it is', 'runs here'], style: {head: [], border: []}})
  for (const row of rows) table.push([row.id, row.family, row.title, row.supported ? c.green('yes') : c.yellow(`no: ${row.reason}`)])
  return table.toString()
}
