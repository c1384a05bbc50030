import {readFileSync} from 'node:fs'
import path from 'node:path'
import {Ajv} from 'ajv'
import addFormats from 'ajv-formats'
import {describe, expect, it} from 'vitest'
import {packageRoot} from '../src/paths.js'
import {mergeReports} from '../src/report/merge.js'
import {scaleRowFailed, scaleRowSkipped, type ScaleRow} from '../src/report/scale.js'
import type {SurveyReport} from '../src/report/types.js'
import {benchmarkActionEntries} from '../src/render/benchmark-action.js'
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
    expect(markdown).toMatch(/line "child-rpc" \[25, 48\.6, 94\]/)
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
      {name: 'linux-x64 child-rpc N=10 all answered', unit: 'ms', value: 731.612, extra: "one run of 10 plugins started at once; p50 of each plugin's own start 676.304 ms"},
      {name: 'linux-x64 child-rpc N=10 memory per plugin', unit: 'bytes', value: 11_868_262, extra: 'pss of the whole process tree: 28210176 bytes before, 146892800 with 10 plugins'},
      {name: 'linux-x64 child-rpc C=64 call p99', unit: 'ns', value: 4_365_186.4, extra: "94019 calls/s (windows 64241-112931); 3.76x C=1; 0.38x floor-unix-socket's throughput"},
    ])
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
