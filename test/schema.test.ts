// docs/report.schema.json against real documents: the fixtures, a report from every constructor, and the
// variants it must refuse (data on a variant that does not have it).
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {Ajv} from 'ajv'
import addFormats from 'ajv-formats'
import {describe, expect, it} from 'vitest'
import {inProcess} from '../src/mechanisms/in-process.js'
import {packageRoot} from '../src/paths.js'
import {parseReportText} from '../src/report/read.js'
import {benchFailed, benchFinding, benchOk, cellOf, failed, failedCell, identityOf, orphansCounted, probedCell, refOf, reloadMeasured, skipped} from '../src/results/rows.js'
import {testReport} from './support/reports.js'

const ajv = new Ajv({allErrors: true, strict: false})
addFormats.default(ajv)
const validate = ajv.compile(JSON.parse(readFileSync(path.join(packageRoot, 'docs', 'report.schema.json'), 'utf8')))
const fixture = (name: string) => path.join(packageRoot, 'test', 'fixtures', 'reports', name)
const valid = (document: unknown) => (validate(document) ? 'valid' : JSON.stringify(validate.errors))

describe('the report schema', () => {
  it.each(['linux.json', 'darwin.json', 'windows.json'])('holds the fixture %s', (name) => {
    expect(valid(JSON.parse(readFileSync(fixture(name), 'utf8')))).toBe('valid')
  })

  it('holds a schemaVersion 1 file once read', () => {
    const [{report}] = parseReportText(readFileSync(fixture('v1/linux.json'), 'utf8'), 'v1/linux.json')
    expect(report.schemaVersion).toBe(2)
    expect(valid(report)).toBe('valid')
  })

  it('holds every variant the constructors build', () => {
    const identity = identityOf(inProcess)
    const cell = cellOf(inProcess, 'throw')
    const report = testReport({
      bench: [
        benchOk(identity, {coldStart: {p50Ms: 1, p99Ms: 2, meanMs: 1, samples: 3}, floor: 'floor-direct-call'}),
        benchFinding(identity, {finding: 'found', targets: [{target: 'linux/amd64', outcome: 'built'}]}),
        skipped(identity, 'not here'),
        benchFailed(identity, 'broke', 'WRONG_ANSWER'),
      ],
      crash: [
        probedCell(cell, {hostSurvived: true, recovered: true, orphans: 0, errorCode: 'PLUGIN_THREW', notes: []}, {hostSurvived: true, recovered: true, errorCodes: ['PLUGIN_THREW']}),
        skipped(cell, 'not here'),
        failedCell(cell, 'never got to the fault', ['1 process(es) left behind']),
      ],
      hotReload: [reloadMeasured(refOf(inProcess), {reloadMs: 1, calls: 9, failedCalls: 0, errorCodes: [], answeredByOld: 4, answeredByNew: 5}), failed(refOf(inProcess), 'broke')],
      orphans: [orphansCounted(refOf(inProcess), {pluginProcesses: 1, orphans: 0, goneWithinMs: 3}), skipped(refOf(inProcess), 'not here')],
    })
    expect(valid(report)).toBe('valid')
  })

  it('refuses data on a variant that does not have it', () => {
    const cell = {...cellOf(inProcess, 'throw'), status: 'skipped', reason: 'not here', hostSurvived: false}
    const orphans = {...refOf(inProcess), status: 'failed', reason: 'broke', pluginProcesses: 0, orphans: 0}
    const ok = {...identityOf(inProcess), status: 'ok', finding: 'a demonstration is not an ok row', call: {p50Ns: 1, p99Ns: 1, meanNs: 1, opsPerSec: 1, rmePct: 1, samples: 1}}
    for (const document of [testReport({crash: [cell as never]}), testReport({orphans: [orphans as never]}), testReport({bench: [ok as never]})]) expect(valid(document)).not.toBe('valid')
  })
})
