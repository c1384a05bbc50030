import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {renderComparisonMarkdown} from '../src/render/compare.js'
import {compareRuns} from '../src/report/compare.js'
import type {Machine} from '../src/report/merge.js'
import type {BenchRow, SurveyReport} from '../src/results/types.js'
import {runCli} from './support/cli.js'
import {testCall, testRatio, testReport} from './support/reports.js'

/** A child-rpc row whose rounds are `rounds` (ns), paired with a steady floor ratio `ratio`. */
function childRpc(rounds: number[], ratio = 1.1): BenchRow {
  const call = {...testCall(rounds[0]!), rounds, p50Ns: [...rounds].sort((a, b) => a - b)[Math.floor(rounds.length / 2)]!}
  return {mechanism: 'child-rpc', family: 'node', status: 'ok', floor: 'floor-unix-socket', call, ratios: [{...testRatio('call', 'floor-unix-socket', ratio), rounds: rounds.map((_, i) => ratio + (i % 3) * 0.01)}]}
}

const steady = [50_000, 51_000, 49_500, 50_500, 50_200, 49_800, 50_900, 49_900, 50_100, 50_400, 49_700, 50_600]
const slower = steady.map((v) => v * 1.3)
const machine = (bench: BenchRow[]): Machine => ({label: 'linux-x64', report: testReport({bench}), sources: []})

describe('comparing two runs', () => {
  it('finds a 30% slow-down significant, with its interval, and a regression beyond 10%', () => {
    const comparison = compareRuns([machine([childRpc(steady)])], [machine([childRpc(slower)])], 10)
    const call = comparison.machines[0]!.figures.find((f) => f.figure === 'call')!
    expect(call).toMatchObject({mechanism: 'child-rpc', unit: 'ns', verdict: 'worse', regression: true, beforeRounds: 12, afterRounds: 12})
    expect(call.change!.factor).toBeCloseTo(1.3, 2)
    expect(call.change!.low).toBeGreaterThan(1.2)
    expect(call.p).toBeLessThan(0.001)
    // The paired ratio did not move: "~".
    expect(comparison.machines[0]!.figures.find((f) => f.figure === 'call vs floor-unix-socket')).toMatchObject({verdict: 'same', regression: false})
    expect(comparison.regressions).toBe(1)
  })

  it('is not a regression below the threshold, and "~" when not significant', () => {
    expect(compareRuns([machine([childRpc(steady)])], [machine([childRpc(slower)])], 40).regressions).toBe(0)
    const same = compareRuns([machine([childRpc(steady)])], [machine([childRpc([...steady].reverse())])], 10)
    expect(same.machines[0]!.figures.map((f) => f.verdict)).toEqual(['same', 'same'])
  })

  it('says "too few to tell" for a run of 3 rounds, and lists a row that now fails', () => {
    const failed: BenchRow = {mechanism: 'child-rpc', family: 'node', status: 'failed', reason: 'wrong answer', errorCode: 'WRONG_ANSWER'}
    const comparison = compareRuns([machine([childRpc(steady.slice(0, 3))])], [machine([childRpc(slower.slice(0, 3))])], 10)
    expect(comparison.machines[0]!.figures[0]).toMatchObject({verdict: 'untested', regression: false})
    expect(compareRuns([machine([childRpc(steady)])], [machine([failed])]).machines[0]!.statusChanges).toEqual([{mechanism: 'child-rpc', before: 'ok', after: 'failed', reason: 'wrong answer'}])
  })

  it('writes markdown with "~" and the regression named', () => {
    const markdown = renderComparisonMarkdown(compareRuns([machine([childRpc(steady)])], [machine([childRpc(slower)])], 10))
    expect(markdown).toContain('**1 regression, significant (Mann-Whitney p < 0.05) and more than 10% slower: child-rpc call p50 +30%.**')
    expect(markdown).toMatch(/\| child-rpc \| call p50 \| 50.2 µs \| 65.3 µs \| \+30% \(\+29% to \+31%\) ⚠ regression \| p=7.4e-7 \|/)
    expect(markdown).toContain('| child-rpc | call vs floor-unix-socket | 1.1x | 1.1x | ~ |')
  })
})

describe('plugin-survey compare', () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'ps-compare-'))
  afterAll(() => rmSync(folder, {recursive: true, force: true}))
  const save = (name: string, report: SurveyReport) => {
    const file = path.join(folder, name)
    writeFileSync(file, JSON.stringify(report))
    return file
  }
  const before = save('before.json', testReport({bench: [childRpc(steady)]}))
  const after = save('after.json', testReport({bench: [childRpc(slower)]}))

  it('exits 3 on a significant regression beyond the threshold, also under --json', async () => {
    const text = await runCli(['compare', before, after])
    expect(text.exitCode).toBe(3)
    expect(text.stdout).toContain('1 regression')
    const json = await runCli(['compare', before, after, '--json'])
    expect(json.exitCode).toBe(3)
    expect(JSON.parse(json.stdout).regressions).toBe(1)
  })

  it('exits 0 with a threshold above the change, and 0 on the same run', async () => {
    expect((await runCli(['compare', before, after, '--threshold', '50'])).exitCode).toBe(0)
    const same = await runCli(['compare', before, before, '--format', 'markdown'])
    expect(same.exitCode).toBe(0)
    expect(same.stdout).toContain('**No regression')
  })

  it('report --baseline adds the changes after the summary and exits 3 on the regression, also under --json', async () => {
    const markdown = await runCli(['report', '--from', after, '--baseline', before, '--no-step-summary'])
    expect(markdown.exitCode).toBe(3)
    expect(markdown.stdout).toMatch(/## Summary[\s\S]*## Changes since the baseline[\s\S]*\*\*1 regression[\s\S]*## Latency detail/)
    const json = await runCli(['report', '--from', after, '--baseline', before, '--json'])
    expect(json.exitCode).toBe(3)
    expect(JSON.parse(json.stdout).comparison.regressions).toBe(1)
    expect((await runCli(['report', '--from', after, '--baseline', before, '--threshold', '50', '--no-step-summary'])).exitCode).toBe(0)
  })

  it('exits 2 for a missing file or a bad threshold, saying what to do', async () => {
    const missing = await runCli(['compare', path.join(folder, 'nope.json'), after])
    expect(missing.exitCode).toBe(2)
    expect(missing.stderr).toContain('cannot read')
    const bad = await runCli(['compare', before, after, '--threshold', 'ten'])
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toContain('--threshold must be a percentage of 0 or more')
  })
})
