import {readFileSync} from 'node:fs'
import path from 'node:path'
import {Ajv} from 'ajv'
import addFormats from 'ajv-formats'
import {describe, expect, it} from 'vitest'
import {packageRoot} from '../src/paths.js'
import {mergeReports} from '../src/report/merge.js'
import {callsPointOk, instancesPointOk, measuredPart, scaleRowFailed, scaleRowOk, scaleRowSkipped, type ScaleRow} from '../src/results/scale.js'
import type {SurveyReport} from '../src/results/types.js'
import {benchmarkActionEntries} from '../src/render/benchmark-action.js'
import {renderComparisonText} from '../src/render/compare.js'
import {compareRuns} from '../src/report/compare.js'
import {renderScaleTable} from '../src/render/scale-table.js'
import {blockMarkdown} from '../src/render/markdown.js'
import {scaleSection} from '../src/render/scale-markdown.js'
import {runCli} from './support/cli.js'
import {testReport} from './support/reports.js'

const schema = JSON.parse(readFileSync(path.join(packageRoot, 'docs', 'report.schema.json'), 'utf8'))
const ajv = new Ajv({allErrors: true, strict: false})
addFormats.default(ajv)
const validate = ajv.compile(schema)

// The scale rows of the linux report fixture: hand-picked from a real quick run, plus a WRONG_ANSWER row.
const linux = JSON.parse(readFileSync(path.join(packageRoot, 'test', 'fixtures', 'reports', 'linux.json'), 'utf8')) as SurveyReport
const scaleReport = testReport({scale: linux.scale})

describe('the scale table', () => {
  it('renders hand-built scale rows exactly, plain', async () => {
    await expect(renderScaleTable(scaleReport, {color: false})).toMatchFileSnapshot('__snapshots__/scale-table.txt')
  })

  it('has no escape codes without colour, and colours with it', () => {
    expect(renderScaleTable(scaleReport, {color: false})).not.toContain('\u001B[')
    expect(renderScaleTable(scaleReport, {color: true})).toContain('\u001B[')
  })

  it('says what a row cannot measure and why, and shows a failed row with its code', () => {
    const text = renderScaleTable(scaleReport, {color: false})
    expect(text).toContain('- compiled-in: plugins at once: not measured: newHost() makes each registered plugin once')
    expect(text).toContain('10 loads gave 1 plugin')
    expect(text).toContain('failed (WRONG_ANSWER): with 8 calls in flight: wrong answer')
  })
})

describe('the Scale section of the report', () => {
  const section = (rows: ScaleRow[] | undefined) => scaleSection(mergeReports([{report: testReport({scale: rows})}])).map(blockMarkdown).join('\n\n')

  it('tells how to measure when the run has no scale figures', () => {
    expect(section(undefined)).toContain('_Not measured in this run: scale figures. Run `plugin-survey scale`, or pass its `--json` output with `--from`._')
  })

  it('draws throughput against C and memory against N, a chart per floor with the rows over it', () => {
    const markdown = section(linux.scale)
    expect(markdown).toContain('title "Throughput against C: floor-unix-socket and the rows over it"')
    expect(markdown).toContain('y-axis "thousand calls/s" 0 --> ')
    expect(markdown).not.toContain('log10')
    expect(markdown).toContain('title "Memory against N: floor-postmessage and the rows over it"')
    expect(markdown).toMatch(/line "child-rpc" \[13, 78, 90\]/)
    expect(markdown).toContain('| `child-grpc` | failed (WRONG_ANSWER) | - |')
  })

  it('lists skipped and failed rows with their reasons', () => {
    const markdown = section([scaleRowSkipped({mechanism: 'go-hashicorp', family: 'go'}, 'go not found on PATH'), scaleRowFailed({mechanism: 'child-rpc', family: 'node'}, 'HOST_DIED', 'the scale host exited with code 1')])
    expect(markdown).toContain('- `go-hashicorp` skipped: go not found on PATH')
    expect(markdown).toContain('- `child-rpc` failed (HOST_DIED): the scale host exited with code 1')
  })
})

describe('benchmark-action output of scale', () => {
  it('adds the smaller-is-better figures of the largest N and C', () => {
    const entries = benchmarkActionEntries(mergeReports([{report: scaleReport}])).filter((e) => e.name.includes(' child-rpc '))
    expect(entries).toEqual([
      {name: 'linux-x64 child-rpc N=10 all answered', unit: 'ms', value: 209.782, extra: "one run of 10 plugins started at once; p50 of each plugin's own start 180.347 ms"},
      {name: 'linux-x64 child-rpc N=10 memory per plugin', unit: 'bytes', value: 12_277_146, extra: 'pss of the whole process tree: 29443072 bytes before, 152214528 with 10 plugins'},
      {name: 'linux-x64 child-rpc C=64 call p99', unit: 'ns', value: 3_958_368.7, extra: "90034 calls/s (windows 54810-128106); 6.91x C=1; 0.618x floor-unix-socket's throughput"},
    ])
  })
})

describe('compare with scale rows', () => {
  const windows = (rate: number) => [rate * 0.98, rate * 1.01, rate, rate * 1.02, rate * 0.99]
  const row = (callsPerSec: number, perPluginBytes: number) =>
    scaleRowOk(
      {mechanism: 'child-rpc', family: 'node', floor: 'floor-unix-socket'},
      measuredPart([instancesPointOk({n: 50, allAnsweredMs: 5000, startP50Ms: 4000, memory: {measured: true, method: 'pss', hostBytes: 1, totalBytes: 1 + 50 * perPluginBytes, perPluginBytes, processes: 51}})]),
      measuredPart([callsPointOk({c: 64, calls: 1000, wallMs: 10, callsPerSec, windowCallsPerSec: windows(callsPerSec), p50Ns: 1, p99Ns: 2, capped: false})]),
    )
  const run = (scale: ScaleRow[]) => [{label: 'linux-x64', report: testReport({scale}), sources: []}]

  it('finds throughput halved at C=64 a significant regression, tested on the five windows', () => {
    const comparison = compareRuns(run([row(90_000, 10_000_000)]), run([row(45_000, 10_000_000)]), 10)
    const calls = comparison.machines[0]!.figures.find((f) => f.figure === 'scale C=64 1 / throughput')!
    expect(calls).toMatchObject({mechanism: 'child-rpc', unit: 'ns', beforeRounds: 5, afterRounds: 5, verdict: 'worse', regression: true})
    expect(calls.change!.factor).toBeCloseTo(2, 1)
    expect(comparison.regressions).toBe(1)
  })

  it('shows the N figures, one measurement each, as too few to test', () => {
    const comparison = compareRuns(run([row(90_000, 10_000_000)]), run([row(90_000, 20_000_000)]), 10)
    const memory = comparison.machines[0]!.figures.find((f) => f.figure === 'scale N=50 memory per plugin')!
    expect(memory).toMatchObject({unit: 'bytes', before: 10_000_000, after: 20_000_000, verdict: 'untested', regression: false})
    expect(renderComparisonText(comparison, {color: false})).toContain('scale N=50 memory per plugin │ 9.54 MiB │ 19.1 MiB │ ? (1 and 1 rounds: too few to tell)')
  })

  it('lists a scale row that now fails, naming the part', () => {
    const failed = scaleRowFailed({mechanism: 'child-rpc', family: 'node'}, 'WRONG_ANSWER', 'with 8 calls in flight: wrong answer')
    const comparison = compareRuns(run([row(90_000, 1)]), run([failed]), 10)
    expect(comparison.machines[0]!.statusChanges).toEqual([{mechanism: 'child-rpc', part: 'scale', before: 'ok', after: 'failed', reason: 'with 8 calls in flight: wrong answer'}])
    expect(renderComparisonText(comparison, {color: false})).toContain('child-rpc (scale): ok → failed (with 8 calls in flight: wrong answer)')
  })
})

describe('plugin-survey scale', () => {
  it('rejects an unknown row with exit 2, listing the rows that take part', async () => {
    const result = await runCli(['scale', '--mechanism', 'go-coupling'])
    expect(result.exitCode).toBe(2)
    const message = result.stderr.replace(/\s*›\s*/g, ' ')
    expect(message).toContain('Expected --mechanism=go-coupling to be one of: ')
    expect(message).toContain('child-rpc')
  })

  it('prints one JSON document that the schema accepts, with the row and its floor', async () => {
    const result = await runCli(['scale', '--mechanism', 'child-rpc', '--instances', '2', '--concurrency', '1', '--concurrency', '4', '--call-time', '40', '--json'])
    expect(result.exitCode).toBe(0)
    const report = JSON.parse(result.stdout) as SurveyReport
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true)
    expect(report.scale?.map((row) => [row.mechanism, row.status])).toEqual([
      ['child-rpc', 'ok'],
      ['floor-unix-socket', 'ok'],
    ])
    expect(report.settings).toMatchObject({quick: false, scale: {instanceCounts: [2], concurrency: [1, 4]}})
    expect(report.scale?.[0]).toMatchObject({instances: {points: [{status: 'ok', n: 2, vsFloor: {}}]}, calls: {points: [{c: 1}, {c: 4, vsFloor: expect.any(Number)}]}})
  })
})
