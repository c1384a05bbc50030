// Every (Node mechanism, fault) cell of crash-test, probed for real in throwaway hosts, against the expectation
// table and the exact error codes. Short timeouts keep the file to seconds per cell.
import {afterAll, describe, expect, it} from 'vitest'
import {detectGo} from '../src/go/toolchain.js'
import {findRow} from '../src/mechanisms/index.js'
import {probeCell, probeHotReload, probeOrphans, type ProbedRow} from '../src/measure/crash/crash-test.js'
import {faultUnavailable, NODE_FAULT_IDS} from '../src/sample/faults.js'
import {canCountOrphans, findMarked, markersOf} from '../src/measure/crash/orphans.js'
import {DEFAULT_CRASH_SETTINGS, type CrashSettings} from '../src/measure/crash/settings.js'

// Short call timeouts keep hang and never quick; a start timeout with room for a loaded CI machine.
const settings: CrashSettings = {...DEFAULT_CRASH_SETTINGS, callTimeoutMs: 500, startTimeoutMs: 3000, hangGraceMs: 800, orphanGraceMs: 1000, reloadBeforeMs: 200, reloadAfterMs: 200}

type Outcome = {hostSurvived: boolean; errorCode?: string; exitCode?: number; signal?: string; recovered: boolean}
const survived = (errorCode: string | undefined): Outcome => ({hostSurvived: true, errorCode, recovered: true})
const died = (how: {exitCode?: number; signal?: string}, errorCode = 'HOST_DIED'): Outcome => ({hostSurvived: false, errorCode, ...how, recovered: false})

const IN_PROCESS: Record<string, Outcome> = {
  throw: survived('PLUGIN_THREW'),
  reject: died({exitCode: 1}),
  exit: died({exitCode: 3}),
  segfault: died({signal: 'SIGSEGV'}),
  hang: died({signal: 'SIGKILL'}, 'HOST_HUNG'),
  never: survived('CALL_TIMEOUT'),
  oom: died({signal: 'SIGABRT'}),
  'stdout-garbage': survived(undefined),
  'slow-start': survived('START_TIMEOUT'),
}

const EXPECTED: Record<string, Record<string, Outcome>> = {
  'in-process': IN_PROCESS,
  'compiled-in': IN_PROCESS,
  'worker-thread': {
    throw: survived('PLUGIN_THREW'),
    reject: survived('PLUGIN_CRASHED'),
    exit: survived('PLUGIN_EXITED'),
    segfault: died({signal: 'SIGSEGV'}),
    hang: survived('CALL_TIMEOUT'),
    never: survived('CALL_TIMEOUT'),
    oom: survived('PLUGIN_OOM'),
    'stdout-garbage': survived(undefined),
    'slow-start': survived('START_TIMEOUT'),
  },
  'child-rpc': {
    throw: survived('PLUGIN_THREW'),
    reject: survived('PLUGIN_EXITED'),
    exit: survived('PLUGIN_EXITED'),
    segfault: survived('PLUGIN_CRASHED'),
    hang: survived('CALL_TIMEOUT'),
    never: survived('CALL_TIMEOUT'),
    oom: survived('PLUGIN_OOM'),
    'stdout-garbage': survived(undefined),
    'slow-start': survived('START_TIMEOUT'),
  },
}

const cells = Object.keys(EXPECTED).flatMap((mechanism) => NODE_FAULT_IDS.map((fault) => [mechanism, fault] as const))
const probed = (id: string) => findRow(id) as ProbedRow

describe('crash-test cells of the Node rows', () => {
  it('covers every Node fault for every Node row, each declared by the row with the error code the cell reports', () => {
    for (const [mechanism, fault] of cells) {
      const want = EXPECTED[mechanism][fault]
      expect(want, `${mechanism} × ${fault}`).toBeDefined()
      const documented = probed(mechanism).faults[fault]
      expect(documented?.source, `${mechanism} × ${fault}`).toMatch(/\w/)
      expect(documented?.errorCodes, `${mechanism} × ${fault}`).toEqual(want.errorCode === undefined ? [] : [want.errorCode])
    }
  })

  it.each(cells)('%s × %s', async (mechanism, fault) => {
    // Filling a heap to its cap can take longer than a short call timeout on a loaded machine: oom gets room.
    const cell = await probeCell(probed(mechanism), fault, fault === 'oom' ? {...settings, callTimeoutMs: 5000} : settings)
    const unavailable = faultUnavailable(fault)
    if (unavailable !== undefined) {
      expect(cell).toMatchObject({status: 'skipped', reason: unavailable})
      return
    }
    let want = EXPECTED[mechanism][fault]
    // Windows has no signals: a host that aborts or is killed ends with an exit code there.
    if (process.platform === 'win32' && want.signal !== undefined && want.errorCode === 'HOST_DIED') {
      const {signal: _signal, ...rest} = want
      want = rest
      expect(cell.exitCode).not.toBe(0)
    }
    const documented = probed(mechanism).faults[fault]!
    expect(cell).toMatchObject({mechanism, fault, status: 'ok', ...want, orphans: 0, asExpected: true, codeAsExpected: true})
    expect(cell.expected).toEqual({hostSurvived: documented.hostSurvived, recovered: documented.recovered, errorCodes: documented.errorCodes})
    if (want.hostSurvived) expect([cell.exitCode, cell.signal]).toEqual([undefined, undefined])
    if (want.errorCode === undefined) expect(cell.errorCode).toBeUndefined()
    else expect(cell.detectMs).toBeLessThan(10_000)
  })
})

// The TypeScript go-plugin plugin's server answers in the same turn it reads the call, before Node ends the process
// for the unhandled rejection: the host must still notice the death after the answer, whichever language it is in.
describe('a plugin process that answers, then dies of an unhandled rejection', () => {
  const go = detectGo()
  const answersThenDies = async (mechanism: string) => {
    const cell = await probeCell(probed(mechanism), 'reject', settings)
    expect(cell).toMatchObject({status: 'ok', hostSurvived: true, errorCode: 'PLUGIN_EXITED', recovered: true, orphans: 0, asExpected: true, codeAsExpected: true})
  }
  it('child-grpc (the TypeScript host) reports PLUGIN_EXITED and recovers', () => answersThenDies('child-grpc'))
  it.skipIf(!go.supported)(`go-host-ts-plugin (go-plugin's Go host) reports PLUGIN_EXITED and recovers${go.supported ? '' : ` (skipped: ${go.reason})`}`, () =>
    answersThenDies('go-host-ts-plugin'),
  )
})

describe('go-plugin handshake faults, on a row that speaks go-plugin', () => {
  it.each(['bad-app-version', 'noise-before-handshake'])('%s fails the start clearly; the next start of a plugin that behaves answers', async (fault) => {
    const cell = await probeCell(probed('child-grpc'), fault, settings)
    expect(cell).toMatchObject({status: 'ok', hostSurvived: true, recovered: true, orphans: 0, asExpected: true, codeAsExpected: true})
    expect(cell.errorCode).toMatch(/^HANDSHAKE_/)
  })
})

describe('hot reload', () => {
  it('child-rpc swaps in version 2 while calls stream, with exactly 0 failed calls, and the old process exits', async () => {
    const row = await probeHotReload(probed('child-rpc'), settings)
    expect(row).toMatchObject({status: 'ok', failedCalls: 0, errorCodes: [], oldProcessExited: true})
    expect(row.answeredByOld).toBeGreaterThan(0)
    expect(row.answeredByNew).toBeGreaterThan(0)
    expect(row.newPid).not.toBe(row.oldPid)
    expect(row.reloadMs).toBeLessThan(10_000)
  })

  it('worker-thread swaps with exactly 0 failed calls', async () => {
    const row = await probeHotReload(probed('worker-thread'), settings)
    expect(row).toMatchObject({status: 'ok', failedCalls: 0})
    expect(row.answeredByNew).toBeGreaterThan(0)
  })

  it('in-process swaps with 0 failed calls, and the replaced module stays in memory', async () => {
    const row = await probeHotReload(probed('in-process'), settings)
    expect(row).toMatchObject({status: 'ok', failedCalls: 0, oldModuleRetained: true})
    expect(row.answeredByNew).toBeGreaterThan(0)
  })

  it('compiled-in is skipped with the reason', async () => {
    const row = await probeHotReload(probed('compiled-in'), settings)
    expect(row).toEqual({
      mechanism: 'compiled-in',
      family: 'node',
      status: 'skipped',
      reason: "the plugin is part of the host's own artifact: a new version means rebuilding and restarting the host",
    })
  })
})

describe.skipIf(!canCountOrphans)('orphans after the host is killed with SIGKILL', () => {
  it('child-rpc leaves no plugin process behind', async () => {
    const row = await probeOrphans(probed('child-rpc'), settings)
    expect(row).toMatchObject({mechanism: 'child-rpc', status: 'ok', pluginProcesses: 1, orphans: 0})
  })

  it('worker-thread has no plugin process to leave', async () => {
    const row = await probeOrphans(probed('worker-thread'), settings)
    expect(row).toMatchObject({status: 'ok', pluginProcesses: 0, orphans: 0})
  })
})

afterAll(async () => {
  // Nothing any probe of this file started may still be running.
  expect(await findMarked(markersOf(process.pid), {prefix: true})).toEqual([])
})
