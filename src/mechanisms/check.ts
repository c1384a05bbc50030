// What the commands need of every row, checked over the registry: each problem names the row, the missing or
// wrong fact, and the command that needs it. The types already demand the facts; this checks what they cannot
// (ids that must exist, sources that must be links, a docs page on disk).
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {knownFault} from '../sample/faults.js'
import {
  PLATFORMS,
  isCrashProbeable,
  isDemonstration,
  isLoadable,
  isMeasuredByOwnHost,
  isScalable,
  isStartOnly,
  type CrashProbeable,
  type Scalable,
  type Row,
  type SurveySubject,
} from './row.js'

/** The codes crash-test gives a host that did not survive: the only codes a dying host can be expected to show. */
const HOST_END_CODES = ['HOST_DIED', 'HOST_HUNG']
const SUBJECTS: readonly SurveySubject[] = ['go-stdlib-plugin', 'go-plugin', 'compiled-in']

export interface Registry {
  mechanisms: readonly Row[]
  floors: readonly Row[]
  /** The folder of the mechanism pages (docs/mechanisms). */
  docsDir: string
}

function crashProblems(row: Row & CrashProbeable): string[] {
  const problems: string[] = []
  for (const [fault, expected] of Object.entries(row.faults)) {
    const cell = `${row.id} × ${fault}`
    if (knownFault(fault) === undefined) problems.push(`${cell}: an unknown fault (crash-test): add it to src/sample/faults.ts with its summary`)
    if (!expected.source.trim()) problems.push(`${cell}: the expectation has no source (crash-test compares the cell with it): say where the outcome is documented`)
    if (expected.errorCodes.some((code) => !/^[A-Z][A-Z0-9_]*$/.test(code))) problems.push(`${cell}: errorCodes must be codes such as PLUGIN_EXITED, not ${JSON.stringify(expected.errorCodes)}`)
    if (!expected.hostSurvived && (expected.recovered || !expected.errorCodes.every((code) => HOST_END_CODES.includes(code)) || expected.errorCodes.length === 0)) {
      problems.push(`${cell}: a host expected to die cannot recover, and its errorCodes are ${HOST_END_CODES.join(' or ')} (crash-test)`)
    }
  }
  if (row.reload.possible ? !row.reload.how.trim() : !row.reload.why.trim()) problems.push(`${row.id}: reload must say how it is done, or why it cannot be (crash-test's hot reload)`)
  return problems
}

function scaleProblems(row: Row): string[] {
  const scale = (row as Partial<Scalable>).scale
  if (scale === undefined) {
    return row.family === 'floor' || isDemonstration(row) ? [] : [`${row.id}: no scale facts (scale): declare Scalable: whether one host holds several of its plugins at once, and whether calls in flight overlap, each with its reason where not`]
  }
  const problems: string[] = []
  if (!isScalable(row)) problems.push(`${row.id}: declares scale facts, but no host can load its plugin (scale): implement Loadable or OwnScaleHost`)
  for (const [part, support] of Object.entries(scale)) {
    if (!support.supported && !support.reason.trim()) problems.push(`${row.id}: scale.${part} is not supported but gives no reason (scale shows it): say why`)
  }
  return problems
}

function docsProblem(row: Row, docsDir: string): string | undefined {
  if (row.family === 'floor') {
    const page = path.join(docsDir, 'floors.md')
    const documented = existsSync(page) && readFileSync(page, 'utf8').includes(`\`${row.id}\``)
    return documented ? undefined : `${row.id}: no section in docs/mechanisms/floors.md: describe the floor there under its id`
  }
  return existsSync(path.join(docsDir, `${row.id}.md`)) ? undefined : `${row.id}: no docs page: write docs/mechanisms/${row.id}.md`
}

function rowProblems(row: Row, byId: ReadonlyMap<string, Row>, docsDir: string): string[] {
  const problems: string[] = []
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(row.id)) problems.push(`${JSON.stringify(row.id)}: an id is lowercase words joined by dashes (--mechanism takes it)`)
  if (!row.title.trim()) problems.push(`${row.id}: no title (list, bench)`)
  for (const [which, floor] of Object.entries(row.floors ?? {})) {
    if (byId.get(floor)?.family !== 'floor') problems.push(`${row.id}: floors.${which} names ${floor}, which is not a floor row of the registry (bench's ratios)`)
  }
  for (const other of row.versus ?? []) {
    const found = byId.get(other)
    if (!found || found.family === 'floor' || other === row.id) problems.push(`${row.id}: versus names ${other}, which is not another mechanism of the registry (bench's paired ratios)`)
  }
  const {support, sources} = row.platforms
  const missing = PLATFORMS.filter((platform) => support[platform] !== 'yes' && support[platform] !== 'no')
  if (missing.length > 0) problems.push(`${row.id}: platforms.support says nothing of ${missing.join(', ')} (report's platform matrix)`)
  if (sources.length === 0) problems.push(`${row.id}: platforms.sources is empty: give the URL where its platform support is documented (report's platform matrix)`)
  for (const source of sources) if (!/^https:\/\/\S+$/.test(source)) problems.push(`${row.id}: platforms.sources holds ${JSON.stringify(source)}, which is not a https URL`)
  if (!isDemonstration(row) && !isMeasuredByOwnHost(row) && !isLoadable(row) && !isStartOnly(row)) {
    problems.push(`${row.id}: nothing bench can measure: implement Loadable, StartOnly, MeasuredByOwnHost or Demonstration`)
  }
  problems.push(...scaleProblems(row))
  if (isCrashProbeable(row)) problems.push(...crashProblems(row))
  else if (row.family !== 'floor' && !isDemonstration(row)) problems.push(`${row.id}: no faults and reload, or no host to probe them in (crash-test): declare CrashProbeable, and Loadable or OwnCrashHost`)
  const docs = docsProblem(row, docsDir)
  if (docs) problems.push(docs)
  return problems
}

/** Every fact a command needs that some row lacks; empty when the registry is complete. */
export function registryProblems({mechanisms, floors, docsDir}: Registry): string[] {
  const all = [...mechanisms, ...floors]
  const problems: string[] = []
  const byId = new Map<string, Row>()
  for (const row of all) {
    if (byId.has(row.id)) problems.push(`${row.id}: two rows have this id`)
    byId.set(row.id, row)
  }
  for (const row of mechanisms) if (row.family === 'floor') problems.push(`${row.id}: a floor listed among the mechanisms: list it in \`floors\``)
  for (const row of floors) if (row.family !== 'floor') problems.push(`${row.id}: listed among the floors, but its family is ${row.family}`)
  for (const row of all) problems.push(...rowProblems(row, byId, docsDir))
  for (const subject of SUBJECTS) {
    const own = mechanisms.filter((row) => row.survey?.some((s) => s.subject === subject && s.role === 'subject'))
    if (own.length !== 1) problems.push(`survey subject ${subject}: ${own.length} rows say they are it (${own.map((r) => r.id).join(', ') || 'none'}); exactly one must (report's claims)`)
  }
  return problems
}
