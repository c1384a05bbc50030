// The pure parts of crash-test: reading a host's events out of a noisy stdout, and turning what a host did into
// a crash row compared with its expectation.
import {describe, expect, it} from 'vitest'
import {findRow} from '../src/mechanisms/index.js'
import {crashRowOf, hangLimitMs, runCrashTest, type ProbedRow} from '../src/measure/crash/crash-test.js'
import {EventReader, formatEvent, type CrashEvent} from '../src/measure/crash/events.js'
import {runHost, type HostRun} from '../src/measure/crash/host-run.js'
import {DEFAULT_CRASH_SETTINGS} from '../src/measure/crash/settings.js'

const settings = DEFAULT_CRASH_SETTINGS
const run = (fields: Partial<HostRun>): HostRun => ({events: [], hung: false, timedOut: false, killed: false, stderr: '', orphans: 0, orphanPids: [], ...fields})
const injected: CrashEvent[] = [{event: 'ready', pid: 1}, {event: 'injecting'}]
const probed = (id: string) => findRow(id) as ProbedRow

describe('EventReader', () => {
  it('finds events among plugin junk, split across chunks, and ignores lines that only look like events', () => {
    const events: CrashEvent[] = []
    const reader = new EventReader((e) => events.push(e))
    const stream = `junk without newline${formatEvent({event: 'injecting'})}\u0000\u00ff garbage {{{\n@@crash {not json}\n${formatEvent({event: 'detected'})}`
    for (let i = 0; i < stream.length; i += 7) reader.push(stream.slice(i, i + 7))
    expect(events).toEqual([{event: 'injecting'}, {event: 'detected'}])
  })

  it('still finds an event after a flood of junk with no newline', () => {
    const events: CrashEvent[] = []
    const reader = new EventReader((e) => events.push(e))
    for (let i = 0; i < 100; i++) reader.push('x'.repeat(10_000))
    reader.push(formatEvent({event: 'detected'}).slice(0, 10))
    reader.push(formatEvent({event: 'detected'}).slice(10))
    expect(events).toEqual([{event: 'detected'}])
  })
})

describe('crashRowOf', () => {
  it('reports a host that printed its outcome as surviving, compared with the expectation', () => {
    const row = crashRowOf(probed('child-rpc'), 'exit', run({events: [...injected, {event: 'result', errorCode: 'PLUGIN_EXITED', errorMessage: 'exited', detectMs: 5, recovered: true, restarts: 1}]}), settings)
    expect(row).toMatchObject({status: 'ok', hostSurvived: true, errorCode: 'PLUGIN_EXITED', detectMs: 5, recovered: true, orphans: 0, asExpected: true, expected: {hostSurvived: true, recovered: true}})
  })

  it('does not count a host that reported its outcome and then died as surviving', () => {
    const row = crashRowOf(probed('child-rpc'), 'reject', run({events: [...injected, {event: 'result', recovered: true, restarts: 0}], exitCode: 1, stderr: 'Error: fault plugin: unhandled rejection on purpose'}), settings)
    expect(row).toMatchObject({status: 'ok', hostSurvived: false, exitCode: 1, recovered: false, asExpected: false})
    expect(row.notes).toContain('the host reported its outcome, then exited with code 1: Error: fault plugin: unhandled rejection on purpose')
  })

  it('reports a host that ended after the fault as HOST_DIED with its signal and last words', () => {
    const row = crashRowOf(probed('in-process'), 'oom', run({events: injected, signal: 'SIGABRT', endedAfterInjectMs: 120.4567, stderr: '<--- Last few GCs --->\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n 1: 0xb8 node::Abort()'}), settings)
    expect(row).toMatchObject({hostSurvived: false, signal: 'SIGABRT', errorCode: 'HOST_DIED', detectMs: 120.457, recovered: false, asExpected: true})
    expect(row.errorMessage).toBe('the host was killed by SIGABRT: FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory')
  })

  it('reports a host the watchdog killed as HOST_HUNG', () => {
    const row = crashRowOf(probed('in-process'), 'hang', run({events: injected, hung: true, signal: 'SIGKILL', endedAfterInjectMs: 2300}), settings)
    expect(row).toMatchObject({hostSurvived: false, signal: 'SIGKILL', errorCode: 'HOST_HUNG', recovered: false, asExpected: true})
    expect(row.errorMessage).toBe(`the host froze with its plugin and noticed nothing for ${hangLimitMs('hang', settings)} ms: crash-test's watchdog killed it`)
  })

  it("names a Go host's fatal error, which comes before a stack dump longer than the stderr kept", async () => {
    const script = "process.stderr.write('fatal error: runtime: out of memory\\n\\ngoroutine 1 [running]:\\n' + 'runtime/mfinal.go:172 +0x3d\\n'.repeat(2000)); process.exitCode = 2"
    const died = await runHost({file: process.execPath, args: ['-e', script]}, {deadlineMs: 10_000, orphanGraceMs: 100})
    expect(died.stderr).toMatch(/^fatal error: runtime: out of memory[\s\S]*\n…\n[\s\S]*runtime\/mfinal\.go:172 \+0x3d$/)
    const row = crashRowOf(probed('go-compiled-in'), 'oom', {...died, events: injected}, settings)
    expect(row.errorMessage).toBe('the host exited with code 2: fatal error: runtime: out of memory')
  })

  it('fails the cell, not the run, when the host never got to the fault', () => {
    const row = crashRowOf(probed('worker-thread'), 'throw', run({exitCode: 1, stderr: 'SyntaxError: The requested module does not provide an export named x'}), settings)
    // A failed cell carries its reason and nothing a probe would have measured.
    expect(row).toEqual({mechanism: 'worker-thread', family: 'node', fault: 'throw', status: 'failed', reason: "the probe's host exited with code 1 before the fault: SyntaxError: The requested module does not provide an export named x"})
  })

  it('counts leftover processes against the cell', () => {
    const row = crashRowOf(probed('child-rpc'), 'hang', run({events: [...injected, {event: 'result', errorCode: 'CALL_TIMEOUT', recovered: true, restarts: 1}], orphans: 1, orphanPids: [42]}), settings)
    expect(row).toMatchObject({orphans: 1, asExpected: false})
    expect(row.notes).toContain('1 process(es) left behind, killed by crash-test (pids 42)')
  })
})

describe('a probe that cannot run', () => {
  it('is a failed cell when its host cannot even be started, instead of a run that never ends', async () => {
    const missing = await runHost({file: '/nonexistent/plugin-survey-host', args: []}, {deadlineMs: 5000, orphanGraceMs: 100})
    expect(missing.spawnError).toMatch(/ENOENT/)
    const row = crashRowOf(probed('child-rpc'), 'exit', missing, settings)
    expect(Object.keys(row).sort()).toEqual(['family', 'fault', 'mechanism', 'reason', 'status'])
    expect(row.status === 'failed' && row.reason).toMatch(/^the probe's host could not be started \(.*ENOENT.*\) before the fault/)
  })

  it('is a failed row when setting it up throws, and the run goes on', async () => {
    const broken = {...probed('child-rpc'), detect: () => Promise.reject(Object.assign(new Error('go build failed'), {code: 'GO_BUILD_FAILED'}))}
    const results = await runCrashTest({mechanisms: [broken], faults: ['throw'], settings, hotReload: true, orphans: true, features: false})
    expect(results.crash).toEqual([expect.objectContaining({mechanism: 'child-rpc', fault: 'throw', status: 'failed', reason: 'GO_BUILD_FAILED: go build failed'})])
    expect(results.hotReload).toEqual([{mechanism: 'child-rpc', family: 'node', status: 'failed', reason: 'GO_BUILD_FAILED: go build failed'}])
    expect(results.orphans?.[0]).toMatchObject({mechanism: 'child-rpc', status: process.platform === 'win32' ? 'skipped' : 'failed'})
  })
})
