// The summary that places each row against the survey's three mechanisms: speed from the measured call p50s,
// isolation from where the row says its plugin runs and the faults its host lived through, reload from the row's
// fact and the hot reload probe. Hand-built data, exact figures.
import {describe, expect, it} from 'vitest'
import {renderMarkdown} from '../src/render/markdown.js'
import {mergeReports} from '../src/report/merge.js'
import {placementTable, subjectRows} from '../src/report/placement.js'
import type {BenchRow} from '../src/results/types.js'
import {crashRow, testCall, testReport} from './support/reports.js'

const call = (mechanism: string, family: BenchRow['family'], p50Ns: number): BenchRow => ({
  mechanism,
  family,
  status: 'ok',
  call: testCall(p50Ns),
})

const [machine] = mergeReports([
  {
    report: testReport({
      bench: [
        call('go-stdlib-plugin', 'go', 100),
        call('go-hashicorp', 'go', 50_000),
        call('go-compiled-in', 'go', 50),
        call('go-yaegi', 'go', 1000),
        call('go-pie', 'go', 25_000),
        {mechanism: 'go-coupling', family: 'go', title: 'go-coupling', status: 'finding', finding: 'plugin.Open refused it'},
        call('floor-go-direct-call', 'floor', 5),
        {mechanism: 'extism-js', family: 'wasm', status: 'skipped', reason: 'no assemblyscript'},
      ],
      crash: [
        crashRow({mechanism: 'go-yaegi', fault: 'exit', family: 'go'}),
        crashRow({mechanism: 'go-yaegi', fault: 'reject', family: 'go', hostSurvived: false, recovered: false, expected: {hostSurvived: false, recovered: false}}),
        crashRow({mechanism: 'quickjs', fault: 'oom', family: 'wasm', hostSurvived: false, recovered: false, asExpected: false}),
      ],
      hotReload: [
        {mechanism: 'go-yaegi', family: 'go', status: 'ok', reloadMs: 68.9, calls: 15282, failedCalls: 0, errorCodes: [], answeredByOld: 9000, answeredByNew: 6282},
        {mechanism: 'go-pie', family: 'go', status: 'failed', reason: 'the host exited'},
      ],
    }),
  },
])

describe("the rows beside the survey's mechanisms", () => {
  it('finds the row that is each survey subject', () => {
    expect(subjectRows()).toEqual([
      {subject: 'go-stdlib-plugin', mechanism: 'go-stdlib-plugin'},
      {subject: 'go-plugin', mechanism: 'go-hashicorp'},
      {subject: 'compiled-in', mechanism: 'go-compiled-in'},
    ])
  })

  it('divides each row\'s call p50 by each subject\'s, and reads reload from the row and the probe; no demonstrations or floors', () => {
    const {rows} = placementTable(machine!)
    expect(rows.map((r) => r.mechanism)).toEqual(['go-stdlib-plugin', 'go-hashicorp', 'go-compiled-in', 'go-pie', 'go-yaegi', 'extism-js', 'quickjs'])
    expect(rows.find((r) => r.mechanism === 'go-yaegi')).toEqual({
      mechanism: 'go-yaegi',
      where: 'same-thread',
      callP50Ns: 1000,
      speedVs: {'go-stdlib-plugin': 10, 'go-plugin': 0.02, 'compiled-in': 20},
      reload: {possible: true, measured: expect.objectContaining({reloadMs: 68.9, failedCalls: 0, calls: 15282})},
    })
    expect(rows.find((r) => r.mechanism === 'go-pie')).toMatchObject({where: 'other-process', speedVs: {'go-plugin': 0.5}, reload: {possible: true}})
    expect(rows.find((r) => r.mechanism === 'go-pie')?.reload.measured).toBeUndefined()
    expect(rows.find((r) => r.mechanism === 'go-stdlib-plugin')).toMatchObject({subject: 'go-stdlib-plugin', speedVs: {'go-stdlib-plugin': 1}, reload: {possible: false}})
    expect(rows.find((r) => r.mechanism === 'quickjs')).toEqual({mechanism: 'quickjs', where: 'sandbox', speedVs: {}, reload: {possible: true}})
  })

  it('renders one line per row in the markdown report', () => {
    const markdown = renderMarkdown([machine!])
    expect(markdown).toContain("## Beside the survey's mechanisms")
    expect(markdown).toContain('| mechanism | plugin runs in | call p50 | vs `go-stdlib-plugin` | vs `go-hashicorp` | vs `go-compiled-in` | faults survived | reload |')
    expect(markdown).toContain("| `go-stdlib-plugin` (the survey's Go stdlib plugin) | the host's thread | 100 ns | itself | 500x faster | 2x slower | - | no |")
    expect(markdown).toContain("| `go-yaegi` | the host's thread | 1 µs | 10x slower | 50x faster | 20x slower | 1/2 | 68.9 ms, 0 of 15.3k calls failed |")
    expect(markdown).toContain('| `go-pie` | a process of its own | 25 µs | 250x slower | 2x faster | 500x slower | - | yes (not measured) |')
    expect(markdown).toContain('| `quickjs` | a wasm sandbox | - | - | - | - | 0/1 (1 unexpected) | yes (not measured) |')
  })
})
