// The stdio-lines fault, probed for real: the plugin writes one marked line to stdout and one to stderr in each
// call, and the crash-test cell counts what reached the host over go-plugin's GRPCStdio. The probe makes two
// calls with the plugin armed (the faulty call and the next one: the same plugin, since it never broke), so
// each channel must deliver exactly 2 lines.
import {beforeAll, describe, expect, it} from 'vitest'
import {detectGo} from '../src/go/toolchain.js'
import {findRow} from '../src/mechanisms/index.js'
import {isBuildable} from '../src/mechanisms/row.js'
import {probeCell, type ProbedRow} from '../src/measure/crash/crash-test.js'
import {countStdioLines} from '../src/measure/crash/stdio-count.js'
import {STDIO_MARKER} from '../src/sample/faults.js'
import {DEFAULT_CRASH_SETTINGS, type CrashSettings} from '../src/measure/crash/settings.js'
import {renderCrashTable} from '../src/render/crash-table.js'
import {renderMarkdown} from '../src/render/markdown.js'
import {mergeReports} from '../src/report/merge.js'
import {crashRow, testReport} from './support/reports.js'
import type {SurveyReport} from '../src/results/types.js'

const settings: CrashSettings = {...DEFAULT_CRASH_SETTINGS, callTimeoutMs: 2000, startTimeoutMs: 5000}
const go = detectGo()
const noGo = go.supported ? '' : ` (skipped: ${go.reason})`

async function stdioCell(mechanism: string) {
  const row = await probeCell(findRow(mechanism) as ProbedRow, 'stdio-lines', settings)
  expect(row).toMatchObject({mechanism, fault: 'stdio-lines', status: 'ok', hostSurvived: true, recovered: true, orphans: 0, asExpected: true})
  expect(row.errorCode).toBeUndefined()
  return row
}

describe('stdio-lines counting', () => {
  it('counts a marked line once, however it is split across chunks, and per channel', () => {
    const counter = countStdioLines()
    counter.onStdio('stdout', Buffer.from(`junk\n${STDIO_MARKER.slice(0, 5)}`))
    counter.onStdio('stdout', Buffer.from(`${STDIO_MARKER.slice(5)} a line on stdout\n${STDIO_MARKER} unfinished`))
    counter.onStdio('stderr', Buffer.from(`${STDIO_MARKER} a line on stderr\n${STDIO_MARKER} another\n`))
    expect(counter.counts()).toEqual({stdoutLines: 1, stderrLines: 2})
  })
})

describe('stdio-lines in the renderers', () => {
  const cell = (mechanism: string) => crashRow({mechanism, fault: 'stdio-lines', stdio: {stdoutLines: 2, stderrLines: 2, sent: 2}})
  const report: SurveyReport = testReport({crash: [cell('go-hashicorp'), cell('child-grpc')]})

  it('shows the lines received per channel of those sent in the terminal table and in the markdown matrix, and confirms the claim on go-hashicorp', () => {
    expect(renderCrashTable(report, {color: false})).toContain('stdio 2 out / 2 err of 2')
    const markdown = renderMarkdown(mergeReports([{report, source: 'linux.json'}]))
    expect(markdown).toContain('✅ stdio 2 out / 2 err of 2')
    expect(markdown).toContain(
      '| “stdout/stderr preserved” | HashiCorp go-plugin | ✅ confirmed | `go-hashicorp`: 2 stdout and 2 stderr lines reached the host of 2 written on each, and the calls answered; `child-grpc`: 2 stdout and 2 stderr lines reached the host of 2 written on each, and the calls answered (added evidence, not deciding) |',
    )
  })
})

describe('stdio-lines: the plugin\'s stdout and stderr reach a go-plugin host', () => {
  it('child-grpc: the TypeScript host hands exactly 2 stdout and 2 stderr lines to onStdio', async () => {
    expect((await stdioCell('child-grpc')).stdio).toEqual({stdoutLines: 2, stderrLines: 2, sent: 2})
  })

  it('child-rpc does not take the fault: its cell is skipped, with no stdio', async () => {
    const row = await probeCell(findRow('child-rpc') as ProbedRow, 'stdio-lines', settings)
    expect(row).toMatchObject({status: 'skipped', reason: 'child-rpc does not take the stdio-lines fault'})
    expect(row.stdio).toBeUndefined()
  })
})

describe.skipIf(!go.supported)(`stdio-lines with Go${noGo}`, () => {
  const rows = ['go-hashicorp', 'go-host-ts-plugin', 'ts-host-go-plugin']
  // Their Go builds take a build's time on a cold Go build cache: not within a probe's.
  beforeAll(() => Promise.all(rows.map((id) => {
    const row = findRow(id)!
    if (!isBuildable(row)) throw new Error(`${id} has no build step`)
    return row.build({})
  })), 300_000)

  it.each(rows)('%s: exactly 2 stdout and 2 stderr lines reach the host', async (mechanism) => {
    expect((await stdioCell(mechanism)).stdio).toEqual({stdoutLines: 2, stderrLines: 2, sent: 2})
  })
})
