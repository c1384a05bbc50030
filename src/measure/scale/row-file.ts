// A row from its own file (src/mechanisms/<id>.ts), without the registry: a host that needs one row does not
// pay for importing every row's dependencies (a third of a second per host here); the registry otherwise.
import {existsSync} from 'node:fs'
import {pathToFileURL} from 'node:url'
import {distPath} from '../../paths.js'
import type {Row} from '../../mechanisms/row.js'

export async function importRow(id: string): Promise<Row | undefined> {
  const file = distPath('src', 'mechanisms', `${id}.js`)
  if (/^[a-z0-9-]+$/.test(id) && existsSync(file)) {
    const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>
    const own = Object.values(module).find((value): value is Row => typeof value === 'object' && value !== null && (value as Partial<Row>).id === id)
    if (own) return own
  }
  const {findRow} = await import('../../mechanisms/index.js')
  return findRow(id)
}
