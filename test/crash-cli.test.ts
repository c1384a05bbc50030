// The crash-test command end to end: usage errors, the JSON contract, and nothing left running afterwards.
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {Ajv} from 'ajv'
import addFormats from 'ajv-formats'
import {execa} from 'execa'
import {describe, expect, it} from 'vitest'
import {canCountOrphans, findMarked, markersOf} from '../src/measure/crash/orphans.js'
import {packageRoot} from '../src/paths.js'

const bin = path.join(packageRoot, 'bin', 'run.js')
const ajv = new Ajv({allErrors: true, strict: false})
addFormats.default(ajv)
const validate = ajv.compile(JSON.parse(readFileSync(path.join(packageRoot, 'docs', 'report.schema.json'), 'utf8')))
// oclif wraps and may colour its error lines: compare the words only.
const words = (text: string) => text.replace(/\u001B\[[0-9;]*m/g, '').replace(/\s*›\s*/g, ' ').replace(/\s+/g, ' ')
const run = (args: string[]) => execa(process.execPath, [bin, 'crash-test', ...args], {reject: false, env: {NO_COLOR: '1'}})

describe('plugin-survey crash-test', () => {
  it('rejects an unknown mechanism with exit 2, listing the valid ones', async () => {
    const result = await run(['--mechanism', 'nope'])
    expect(result.exitCode).toBe(2)
    expect(words(result.stderr)).toContain('unknown mechanism nope: use one of in-process, compiled-in, worker-thread, child-rpc')
  })

  it('rejects an unknown fault with exit 2, listing the valid ones, also under --json', async () => {
    const result = await run(['--fault', 'nope', '--json'])
    expect(result.exitCode).toBe(2)
    expect(words(result.stdout)).toContain('unknown fault nope: use one of throw, reject, exit, segfault, hang, never, oom, stdout-garbage, slow-start')
  })

  it('rejects a fault none of the chosen mechanisms takes with exit 2, instead of probing nothing', async () => {
    const result = await run(['--mechanism', 'child-rpc', '--fault', 'bad-app-version'])
    expect(result.exitCode).toBe(2)
    expect(words(result.stderr)).toContain('bad-app-version is not a fault of child-rpc: use one of throw, reject, exit, segfault, hang, never, oom, stdout-garbage, slow-start, forbidden, or choose a mechanism that takes it')
  })

  it('prints one JSON report with crash, hotReload and orphans, exits 0 when plugins crash, and leaves nothing running', async () => {
    const child = run(['-m', 'child-rpc', '-m', 'in-process', '-m', 'compiled-in', '-f', 'exit', '-f', 'throw', '--json'])
    const result = await child
    expect(result.exitCode).toBe(0)
    const report = JSON.parse(result.stdout) as Record<string, unknown> & {crash: Array<Record<string, unknown>>}
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true)
    expect(report.hotReload).toEqual([
      expect.objectContaining({mechanism: 'in-process', status: 'ok', failedCalls: 0}),
      expect.objectContaining({mechanism: 'compiled-in', status: 'skipped'}),
      expect.objectContaining({mechanism: 'child-rpc', status: 'ok', failedCalls: 0}),
    ])
    expect(report.crash.map((r) => [r.mechanism, r.fault, r.hostSurvived, r.errorCode, r.recovered, r.asExpected])).toEqual([
      ['in-process', 'throw', true, 'PLUGIN_THREW', true, true],
      ['in-process', 'exit', false, 'HOST_DIED', false, true],
      ['compiled-in', 'throw', true, 'PLUGIN_THREW', true, true],
      ['compiled-in', 'exit', false, 'HOST_DIED', false, true],
      ['child-rpc', 'throw', true, 'PLUGIN_THREW', true, true],
      ['child-rpc', 'exit', true, 'PLUGIN_EXITED', true, true],
    ])
    const status = canCountOrphans ? 'ok' : 'skipped'
    expect(report.orphans).toEqual([
      expect.objectContaining({mechanism: 'in-process', status, orphans: 0}),
      expect.objectContaining({mechanism: 'compiled-in', status, orphans: 0}),
      expect.objectContaining({mechanism: 'child-rpc', status, orphans: 0}),
    ])
    expect(result.stderr).toContain('plugin-survey: [1/12] in-process × throw')
    expect(await findMarked(markersOf(child.pid!), {prefix: true})).toEqual([])
  })
})
