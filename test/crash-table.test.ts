// The crash-test renderer on a hand-built report: marks, mismatches, colour only when asked.
import {describe, expect, it} from 'vitest'
import {renderCrashTable} from '../src/render/crash-table.js'
import type {SurveyReport} from '../src/results/types.js'
import {crashRow, testReport} from './support/reports.js'

const report: SurveyReport = testReport({
  crash: [
    crashRow({mechanism: 'in-process', fault: 'throw', errorCode: 'PLUGIN_THREW', detectMs: 0.2}),
    crashRow({mechanism: 'in-process', fault: 'segfault', hostSurvived: false, recovered: false, signal: 'SIGSEGV', errorCode: 'HOST_DIED', detectMs: 3.5, expected: {hostSurvived: false, recovered: false}}),
    crashRow({mechanism: 'worker-thread', fault: 'throw', errorCode: 'PLUGIN_THREW', detectMs: 0.6}),
    crashRow({
      mechanism: 'worker-thread',
      fault: 'segfault',
      hostSurvived: true,
      recovered: false,
      errorCode: 'PLUGIN_CRASHED',
      detectMs: 5,
      expected: {hostSurvived: false, recovered: false},
      asExpected: false,
      errorMessage: 'the worker failed',
    }),
    {mechanism: 'go-wasm', family: 'wasm', fault: 'throw', status: 'skipped', reason: 'go-wasm does not take the throw fault'},
  ],
  hotReload: [
    {mechanism: 'child-rpc', family: 'node', status: 'ok', reloadMs: 221, countedBy: 'generation', calls: 22_900, failedCalls: 0, errorCodes: [], answeredByOld: 10_000, answeredByNew: 12_900, oldPid: 10, newPid: 11, oldProcessExited: true},
    {mechanism: 'compiled-in', family: 'node', status: 'skipped', reason: 'rebuild the host'},
  ],
  orphans: [{mechanism: 'child-rpc', family: 'node', status: 'ok', pluginProcesses: 1, orphans: 0, goneWithinMs: 28}],
})

describe('renderCrashTable', () => {
  const plain = renderCrashTable(report, {color: false})

  it('marks each cell, with the error code and detection time', () => {
    expect(plain).toContain('✔ PLUGIN_THREW')
    expect(plain).toContain('✖ died: SIGSEGV')
    expect(plain).toContain('3.5 ms')
    expect(plain).toContain('! ▲ PLUGIN_CRASHED')
  })

  it('counts and lists the cells that differ from their expectation', () => {
    expect(plain).toContain('3 of 4 cells as documented, 1 not:')
    expect(plain).toContain('! worker-thread × segfault: expected the host dies; measured the host survives, the plugin does not recover (the worker failed)')
  })

  it('names a mechanism whose every cell was skipped, with the reason', () => {
    expect(plain).toContain('go-wasm skipped: go-wasm does not take the throw fault')
  })

  it('shows hot reload and orphans', () => {
    expect(plain).toContain('pid 10 → 11 (old exited)')
    expect(plain).toContain('skipped: rebuild the host')
    expect(plain).toMatch(/child-rpc\s+│ 1\s+│ 0\s+│ 28 ms/)
  })

  it('has no escape codes without colour, and colours with it', () => {
    expect(plain).not.toContain('\u001B[')
    expect(renderCrashTable(report, {color: true})).toContain('\u001B[')
  })
})
