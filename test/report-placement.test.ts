// The summary that places each row against the survey's three mechanisms: speed from the paired ratios where two
// rows took turns in rounds, else from the measured call p50s,
// isolation from where the row says its plugin runs and the faults its host lived through, reload from the row's
// fact and the hot reload probe. Hand-built data, exact figures.
import {describe, expect, it} from 'vitest'
import {renderMarkdown} from '../src/render/markdown.js'
import {mergeReports} from '../src/report/merge.js'
import {placementTable, subjectRows} from '../src/report/placement.js'
import type {BenchRow} from '../src/results/types.js'
import {crashRow, testCall, testRatio, testReport} from './support/reports.js'

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
        // Paired with go-stdlib-plugin: its ratio (400x, flagged) wins over the ratio of the p50s (500x).
        {
          ...call('go-hashicorp', 'go', 50_000),
          ratios: [{...testRatio('call', 'go-stdlib-plugin', 400, 'row'), low: 320, high: 500, flags: [{code: 'wide-interval', widthFactor: 1.56}]}],
        },
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
      speedVs: {'go-stdlib-plugin': {paired: false, median: 10}, 'go-plugin': {paired: false, median: 0.02}, 'compiled-in': {paired: false, median: 20}},
      reload: {possible: true, measured: expect.objectContaining({reloadMs: 68.9, failedCalls: 0, calls: 15282})},
    })
    expect(rows.find((r) => r.mechanism === 'go-pie')).toMatchObject({where: 'other-process', speedVs: {'go-plugin': {paired: false, median: 0.5}}, reload: {possible: true}})
    expect(rows.find((r) => r.mechanism === 'go-pie')?.reload.measured).toBeUndefined()
    expect(rows.find((r) => r.mechanism === 'go-stdlib-plugin')).toMatchObject({subject: 'go-stdlib-plugin', speedVs: {'go-stdlib-plugin': {paired: false, median: 1}}, reload: {possible: false}})
    expect(rows.find((r) => r.mechanism === 'quickjs')).toEqual({mechanism: 'quickjs', where: 'sandbox', speedVs: {}, reload: {possible: true}})
  })

  it('takes the paired ratio where two rows took turns in rounds, inverted for the row it was measured against', () => {
    const {rows} = placementTable(machine!)
    expect(rows.find((r) => r.mechanism === 'go-hashicorp')?.speedVs['go-stdlib-plugin']).toEqual({paired: true, median: 400, low: 320, high: 500, confidence: 0.9614, flagged: true})
    expect(rows.find((r) => r.mechanism === 'go-stdlib-plugin')?.speedVs['go-plugin']).toEqual({paired: true, median: 1 / 400, low: 1 / 500, high: 1 / 320, confidence: 0.9614, flagged: true})
    // go-compiled-in and go-hashicorp were not paired: the ratio of their p50s.
    expect(rows.find((r) => r.mechanism === 'go-compiled-in')?.speedVs['go-plugin']).toEqual({paired: false, median: 0.001})
  })

  it('renders one line per row in the markdown report', () => {
    const markdown = renderMarkdown([machine!])
    expect(markdown).toContain("## Beside the survey's mechanisms")
    expect(markdown).toContain('| mechanism | plugin runs in | call p50 | vs `go-stdlib-plugin` | vs `go-hashicorp` | vs `go-compiled-in` | faults survived | reload |')
    expect(markdown).toContain("| `go-stdlib-plugin` (the survey's Go stdlib plugin) | the host's thread | 100 ns | itself | 400x faster (320–500) ⚠ | 2x slower | - | no |")
    expect(markdown).toContain("| `go-hashicorp` (the survey's go-plugin) | a process of its own | 50 µs | 400x slower (320–500) ⚠ | itself | 1000x slower |")
    expect(markdown).toContain("| `go-yaegi` | the host's thread | 1 µs | 10x slower | 50x faster | 20x slower | 1/2 | 68.9 ms, 0 of 15.3k calls failed |")
    expect(markdown).toContain('| `go-pie` | a process of its own | 25 µs | 250x slower | 2x faster | 500x slower | - | yes (not measured) |')
    expect(markdown).toContain('| `quickjs` | a wasm sandbox | - | - | - | - | 0/1 (1 unexpected) | yes (not measured) |')
  })
})
