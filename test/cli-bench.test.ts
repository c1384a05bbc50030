import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {Ajv} from 'ajv'
import addFormats from 'ajv-formats'
import {describe, expect, it, onTestFinished} from 'vitest'
import {mechanismIds} from '../src/mechanisms/index.js'
import {distPath, packageRoot} from '../src/paths.js'
import type {BenchRow, SurveyReport} from '../src/results/types.js'
import {runCli} from './support/cli.js'

const schema = JSON.parse(readFileSync(path.join(packageRoot, 'docs', 'report.schema.json'), 'utf8'))
const ajv = new Ajv({allErrors: true, strict: false})
addFormats.default(ajv)
const validate = ajv.compile(schema)
const tiny = ['--quick', '--cold-samples', '2', '--rounds', '4', '--call-time', '40']

function row(report: SurveyReport, id: string): BenchRow {
  const found = report.bench?.find((r) => r.mechanism === id)
  if (!found) throw new Error(`no row ${id} in ${JSON.stringify(report.bench?.map((r) => r.mechanism))}`)
  return found
}

describe('plugin-survey bench', () => {
  it('rejects an unknown mechanism with exit 2, listing the valid ids', async () => {
    const result = await runCli(['bench', '--mechanism', 'nope'])
    expect(result.exitCode).toBe(2)
    // oclif wraps the message to the terminal's width: compare it unwrapped.
    const message = result.stderr.replace(/\s*›\s*/g, ' ')
    expect(message).toContain('Expected --mechanism=nope to be one of: ')
    for (const id of mechanismIds) expect(message).toContain(id)
  })

  it('rejects a plugin path that does not exist with exit 2, also under --json', async () => {
    const missing = path.join(os.tmpdir(), 'no-such-plugin.js')
    const result = await runCli(['bench', '--plugin', missing, '--json'])
    expect(result.exitCode).toBe(2)
    expect(JSON.parse(result.stdout).error.message).toBe(`plugin not found: ${missing}. Give the path of a built ES module exporting PluginInputNumber and KnownPluginFunction.`)
  })

  it('fails the row of a plugin missing its exports, with PLUGIN_LOOKUP naming what is missing, and exits 0', async () => {
    const plugin = distPath('fixtures', 'node', 'missing-exports-plugin.js')
    const result = await runCli(['bench', '--mechanism', 'in-process', '--plugin', plugin, '--no-floors', '--json', ...tiny])
    expect(result.exitCode).toBe(0)
    const failed = row(JSON.parse(result.stdout), 'in-process')
    expect(failed).toMatchObject({status: 'failed', errorCode: 'PLUGIN_LOOKUP'})
    expect(failed.status === 'failed' && failed.reason).toContain('KnownPluginFunction is missing')
  })

  it('fails the row of a plugin that answers wrongly instead of reporting a figure', async () => {
    const plugin = distPath('fixtures', 'node', 'wrong-answer-plugin.js')
    const result = await runCli(['bench', '--mechanism', 'worker-thread', '--plugin', plugin, '--no-floors', '--json', ...tiny])
    expect(result.exitCode).toBe(0)
    const failed = row(JSON.parse(result.stdout), 'worker-thread')
    expect(failed).toEqual({
      mechanism: 'worker-thread',
      family: 'node',
      title: 'worker_threads Worker, postMessage with call ids',
      floor: 'floor-postmessage',
      status: 'failed',
      reason: 'wrong answer: expected "My custom code prints PluginInputNumber: 7", got "My custom code prints PluginInputNumber: 8"',
      errorCode: 'WRONG_ANSWER',
    })
  })

  it('prints JSON matching the documented schema, with floors and ratios, and saves the same to --out', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'ps-bench-'))
    onTestFinished(() => rmSync(folder, {recursive: true, force: true}))
    const out = path.join(folder, 'bench.json')
    const result = await runCli(['bench', '--mechanism', 'in-process', '--mechanism', 'child-rpc', '--json', '--out', out, ...tiny])
    expect(result.exitCode).toBe(0)
    const report = JSON.parse(result.stdout) as SurveyReport
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true)
    expect(report.bench!.map((r) => [r.mechanism, r.status])).toEqual([
      ['in-process', 'ok'],
      ['child-rpc', 'ok'],
      ['floor-direct-call', 'ok'],
      ['floor-unix-socket', 'ok'],
      ['floor-spawn', 'ok'],
    ])
    const child = row(report, 'child-rpc')
    if (child.status !== 'ok') throw new Error(child.reason)
    // Paired rounds: one ratio per pair (2 and 4 asked for, more while a ratio is flagged), against the floors named on the row.
    expect(child.ratios?.map((r) => [r.figure, r.against, r.kind])).toEqual([
      ['coldStart', 'floor-spawn', 'floor'],
      ['call', 'floor-unix-socket', 'floor'],
    ])
    const [coldRatio, callRatio] = child.ratios!
    expect(coldRatio!.rounds.length).toBeGreaterThanOrEqual(2)
    expect(callRatio!.rounds.length).toBeGreaterThanOrEqual(4)
    expect(child.coldStart!.samples).toBe(coldRatio!.rounds.length)
    expect(child.call).toMatchObject({timing: 'per-call', batch: 1})
    expect(child.call!.histogram.count).toBe(child.call!.samples)
    expect(child.payload?.map((p) => [p.bytes, p.timing])).toEqual([16, 1024, 65536, 1048576].map((bytes) => [bytes, 'per-call']))
    expect(row(report, 'in-process')).toMatchObject({call: {timing: 'batch-mean'}, payload: [{timing: 'batch-mean'}, {}, {}, {}]})
    // The floor's rounds are the ones paired with the row.
    const floor = row(report, 'floor-unix-socket')
    expect(floor.status === 'ok' && floor.call!.rounds).toHaveLength(callRatio!.rounds.length)
    expect(JSON.parse(readFileSync(out, 'utf8')).bench).toEqual(report.bench)
    expect(result.stderr).toContain('[2/2] child-rpc')
  })

  it('prints a plain table when piped, with progress on stderr only', async () => {
    const result = await runCli(['bench', '--mechanism', 'in-process', '--no-floors', ...tiny])
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(/^┌/)
    expect(result.stdout).toContain('│ in-process ')
    expect(result.stdout).not.toContain('\u001B[')
    expect(result.stdout).not.toContain('plugin-survey:')
    expect(result.stderr).toContain('plugin-survey: [1/1] in-process: starting')
  })
})

describe('plugin-survey list', () => {
  it('lists every Node mechanism as runnable here', async () => {
    const result = await runCli(['list', '--json'])
    expect(result.exitCode).toBe(0)
    const listed = JSON.parse(result.stdout).mechanisms as {id: string; supported: boolean}[]
    for (const id of ['in-process', 'compiled-in', 'worker-thread', 'child-rpc', 'floor-direct-call', 'floor-postmessage', 'floor-unix-socket', 'floor-spawn']) {
      expect(listed.find((m) => m.id === id)).toMatchObject({id, supported: true})
    }
  })
})
