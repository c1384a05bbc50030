// The constructors of src/results/variants.ts: each variant carries only its own data, and a probed cell is
// compared with its expectation in one place.
import {describe, expect, it} from 'vitest'
import {benchFailedWith, benchFinding, benchSkipped, cellFailed, cellOf, cellSkipped, failed, identityOf, orphansCounted, probedCell, refOf, skipped} from '../src/results/variants.js'
import {PluginError} from '../src/sample/contract.js'

const row = {id: 'child-rpc', family: 'node' as const, title: 'child process', floors: {call: 'floor-unix-socket'}}
const expected = {hostSurvived: true, recovered: true, errorCodes: ['PLUGIN_EXITED']}
const survived = {hostSurvived: true, recovered: true, orphans: 0, errorCode: 'PLUGIN_EXITED'}

describe('the row identity', () => {
  it('is built from the row: id, family, title and its call floor', () => {
    expect(identityOf(row)).toEqual({mechanism: 'child-rpc', family: 'node', title: 'child process', floor: 'floor-unix-socket'})
    expect(identityOf({...row, floors: undefined})).toEqual({mechanism: 'child-rpc', family: 'node', title: 'child process'})
    expect(cellOf(row, 'exit')).toEqual({mechanism: 'child-rpc', family: 'node', fault: 'exit'})
  })
})

describe('a probed cell', () => {
  const cell = cellOf(row, 'exit')

  it('is as expected, with the expected code, when the host survived and recovered as documented', () => {
    expect(probedCell(cell, survived, expected)).toMatchObject({status: 'ok', asExpected: true, codeAsExpected: true})
  })

  it('is not as expected when the host died, or a process was left behind', () => {
    expect(probedCell(cell, {...survived, hostSurvived: false, recovered: false}, expected).asExpected).toBe(false)
    expect(probedCell(cell, {...survived, orphans: 1}, expected).asExpected).toBe(false)
  })

  it('is as expected with another code, said apart', () => {
    expect(probedCell(cell, {...survived, errorCode: 'PLUGIN_CRASHED'}, expected)).toMatchObject({asExpected: true, codeAsExpected: false})
    expect(probedCell(cell, {...survived, errorCode: undefined}, {...expected, errorCodes: []}).codeAsExpected).toBe(true)
    expect(probedCell(cell, survived, {...expected, errorCodes: []}).codeAsExpected).toBe(false)
  })

  it('in a stdio-lines cell, is as expected only when every line the plugin wrote arrived', () => {
    const stdio = (stdoutLines: number, stderrLines: number) => ({...survived, errorCode: undefined, stdio: {stdoutLines, stderrLines, sent: 3}})
    const none = {...expected, errorCodes: []}
    expect(probedCell(cell, stdio(3, 3), none).asExpected).toBe(true)
    expect(probedCell(cell, stdio(3, 2), none).asExpected).toBe(false)
    expect(probedCell(cell, stdio(4, 3), none).asExpected).toBe(false)
  })

  it('keeps notes only when there are some', () => {
    expect(probedCell(cell, {...survived, notes: []}, expected)).not.toHaveProperty('notes')
    expect(probedCell(cell, {...survived, notes: ['restarted']}, expected).notes).toEqual(['restarted'])
  })
})

describe('results that did not run carry their reason and nothing else', () => {
  it('crash cells, hot reloads and orphan probes', () => {
    expect(cellSkipped(cellOf(row, 'exit'), 'not here')).toEqual({mechanism: 'child-rpc', family: 'node', fault: 'exit', status: 'skipped', reason: 'not here'})
    expect(cellFailed(cellOf(row, 'exit'), 'no host')).toEqual({mechanism: 'child-rpc', family: 'node', fault: 'exit', status: 'failed', reason: 'no host'})
    expect(skipped(refOf(row), 'rebuild the host')).toEqual({mechanism: 'child-rpc', family: 'node', status: 'skipped', reason: 'rebuild the host'})
    expect(failed({...refOf(row), parentWatch: false}, 'r')).toEqual({mechanism: 'child-rpc', family: 'node', parentWatch: false, status: 'failed', reason: 'r'})
  })

  it('bench rows: skipped with its reason, failed with the error code and message of what was thrown', () => {
    expect(benchSkipped(row, 'go not found')).toEqual({...identityOf(row), status: 'skipped', reason: 'go not found'})
    expect(benchFailedWith(row, new PluginError('WRONG_ANSWER', 'wrong answer'))).toEqual({...identityOf(row), status: 'failed', reason: 'wrong answer', errorCode: 'WRONG_ANSWER'})
    expect(benchFailedWith(row, 'boom')).toEqual({...identityOf(row), status: 'failed', reason: 'boom'})
  })

  it('a demonstration is a finding, an orphan count its figures', () => {
    expect(benchFinding(row, {finding: 'refused'})).toEqual({...identityOf(row), status: 'finding', finding: 'refused'})
    expect(orphansCounted(refOf(row), {pluginProcesses: 1, orphans: 0, goneWithinMs: 3, notes: []})).toEqual({mechanism: 'child-rpc', family: 'node', status: 'ok', pluginProcesses: 1, orphans: 0, goneWithinMs: 3})
  })
})
