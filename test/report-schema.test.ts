// docs/report.schema.json describes what the tool writes: the fixture reports (one carries every section this
// version measures: versions, logging, terminals, go-plugin's own reload and orphans, go-rebuild) and the
// `report --json` document built from them, with its claims and author lines, validate against it.
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {Ajv} from 'ajv'
import addFormats from 'ajv-formats'
import {describe, expect, it} from 'vitest'
import {reportDocument} from '../src/commands/report.js'
import {packageRoot} from '../src/paths.js'
import {findRow} from '../src/mechanisms/index.js'
import {mergeReports} from '../src/report/merge.js'
import {parseReportText} from '../src/report/read.js'
import type {SurveyReport} from '../src/results/types.js'

const ajv = new Ajv({allErrors: true, strict: false})
addFormats.default(ajv)
const validate = ajv.compile(JSON.parse(readFileSync(path.join(packageRoot, 'docs', 'report.schema.json'), 'utf8')))
const fixture = (name: string) => JSON.parse(readFileSync(path.join(packageRoot, 'test', 'fixtures', 'reports', name), 'utf8')) as SurveyReport

describe('docs/report.schema.json', () => {
  it.each(['linux.json', 'darwin.json', 'windows.json'])('%s validates', (name) => {
    expect(validate(fixture(name)), JSON.stringify(validate.errors)).toBe(true)
  })

  it('the linux fixture has every section the schema adds for go-plugin', () => {
    const linux = fixture('linux.json')
    expect(linux.versions?.length).toBeGreaterThan(0)
    expect(linux.logging?.length).toBeGreaterThan(0)
    expect(linux.terminals?.length).toBeGreaterThan(0)
    expect(linux.orphans?.some((o) => o.parentWatch === false)).toBe(true)
    expect(linux.bench?.some((b) => b.status === 'finding' && b.rebuilds !== undefined)).toBe(true)
  })

  it('the report --json document, claims and author lines included, validates', () => {
    const document = reportDocument(mergeReports([{report: fixture('linux.json')}]))
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true)
    expect(document.claims.length).toBeGreaterThan(15)
    expect(document.authoring.map((a) => a.mechanism)).toEqual(['go-stdlib-plugin', 'go-hashicorp', 'go-compiled-in'])
  })

  it('refuses a version case with a field it does not know', () => {
    const linux = fixture('linux.json')
    const bad = {...linux, versions: [{mechanism: 'go-hashicorp', status: 'ok', host: 'go-plugin', offered: [1], cases: [{serves: [1], answer: 'hi'}]}]}
    expect(validate(bad)).toBe(false)
  })

  it('refuses data on a variant that does not have it: a skipped cell that survived, a measured row with a finding', () => {
    const linux = fixture('linux.json')
    const skippedCell = {mechanism: 'go-wasm', family: 'wasm', fault: 'throw', status: 'skipped', reason: 'no such fault'}
    expect(validate({...linux, crash: [skippedCell]})).toBe(true)
    expect(validate({...linux, crash: [{...skippedCell, hostSurvived: false, recovered: false, orphans: 0}]})).toBe(false)
    const measured = linux.bench!.find((row) => row.status === 'ok')!
    expect(validate({...linux, bench: [{...measured, finding: 'found'}]})).toBe(false)
    expect(validate({...linux, orphans: [{mechanism: 'child-rpc', family: 'node', status: 'failed', reason: 'r', pluginProcesses: 0, orphans: 0}]})).toBe(false)
  })
})

describe('a document of schemaVersion 2', () => {
  it('reads as version 3: the fixture kept at version 2 converts to the version 3 fixture', () => {
    const [converted] = parseReportText(readFileSync(path.join(packageRoot, 'test', 'fixtures', 'reports', 'v2', 'linux.json'), 'utf8'), 'v2/linux.json')
    expect(converted!.report).toEqual(fixture('linux.json'))
    expect(validate(converted!.report), JSON.stringify(validate.errors)).toBe(true)
  })

  it('keeps only the data of each variant: a skipped cell loses its outcome, a failed orphan probe its counts, a demonstration becomes a finding', () => {
    const v2 = {
      ...fixture('linux.json'),
      schemaVersion: 2,
      bench: [{mechanism: 'go-rebuild', family: 'go', status: 'ok', rebuilds: []}],
      crash: [{mechanism: 'go-wasm', family: 'wasm', fault: 'throw', status: 'skipped', reason: 'r', hostSurvived: false, recovered: false, orphans: 0, expected: {hostSurvived: true, recovered: true}, asExpected: false}],
      hotReload: [{mechanism: 'compiled-in', family: 'node', status: 'skipped', reason: 'rebuild the host'}],
      orphans: [{mechanism: 'child-rpc', family: 'node', status: 'failed', reason: 'r', pluginProcesses: 0, orphans: 0}],
    }
    const [converted] = parseReportText(JSON.stringify(v2), 'v2.json')
    const report = converted!.report
    expect(report.schemaVersion).toBe(3)
    expect(report.bench).toEqual([{mechanism: 'go-rebuild', family: 'go', title: findRow('go-rebuild')!.title, status: 'finding', finding: '', rebuilds: []}])
    expect(report.crash).toEqual([{mechanism: 'go-wasm', family: 'wasm', fault: 'throw', status: 'skipped', reason: 'r'}])
    expect(report.orphans).toEqual([{mechanism: 'child-rpc', family: 'node', status: 'failed', reason: 'r'}])
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true)
  })
})
