import {existsSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {runConcurrentCalls} from '../src/measure/scale/concurrent-calls.js'
import {runScaleHost} from '../src/measure/scale/host-run.js'
import {measureScaleRow, scaleRowIds, selectScaleRows, withScaleRatios} from '../src/measure/scale/scale.js'
import {scaleSettings} from '../src/measure/scale/settings.js'
import {callsStep, instancesStep} from '../src/measure/scale/steps.js'
import {detectGo} from '../src/go/toolchain.js'
import {childRpc} from '../src/mechanisms/child-rpc.js'
import {floorGoGrpc} from '../src/mechanisms/floor-go-grpc.js'
import {goHostTsPlugin} from '../src/mechanisms/go-host-ts-plugin.js'
import {goStdlibPlugin, stdlibPluginFacts, stdlibPluginSupport} from '../src/mechanisms/go-stdlib-plugin.js'
import type {Loadable} from '../src/mechanisms/row.js'
import type {LoadedPlugin} from '../src/transport/types.js'
import {workerThread} from '../src/mechanisms/worker-thread.js'
import {distPath} from '../src/paths.js'
import {callsPointOk, instancesPointOk, measuredPart, notApplicablePart, scaleRowOk, treeMemoryMeasured, type ScaleRow} from '../src/results/scale.js'
import {expectedMessage, PluginError, type PluginInput, type PluginOutput} from '../src/sample/contract.js'

const crossedAnswers = distPath('fixtures', 'node', 'crossed-answers-plugin.js')
const short = {durationMs: 60, minCallsPerCaller: 2, maxCalls: 5000}
const tiny = scaleSettings(true, {instanceCounts: [2], concurrency: [1, 4], callTimeMs: 60})
const haveGo = detectGo().supported

// An in-memory plugin that holds one shared input, like the survey's ABI, and answers after a pause.
function sharedBoxPlugin(): (input: PluginInput) => Promise<PluginOutput> {
  let box = 0
  return async (input) => {
    box = input.number
    await new Promise((resolve) => setImmediate(resolve))
    return {message: expectedMessage(box)}
  }
}

function fakeMechanism(load: (index: number) => Promise<LoadedPlugin>): Loadable {
  let loads = 0
  return {takesPluginPath: false, load: () => load(loads++)}
}

const plugin = (call: LoadedPlugin['call']): LoadedPlugin => ({call, ping: async () => {}, dispose: async () => {}})

describe('calls in flight, every answer checked against its own input', () => {
  it('gives every call a number no other call of the run has', async () => {
    const seen: number[] = []
    const {timings} = await runConcurrentCalls(async (input) => (seen.push(input.number), {message: expectedMessage(input.number)}), 8, short)
    expect(new Set(seen).size).toBe(seen.length)
    expect(timings.endNs).toHaveLength(seen.length)
  })

  it('passes a plugin with one shared input while calls come one at a time', async () => {
    const {timings} = await runConcurrentCalls(sharedBoxPlugin(), 1, short)
    expect(timings.latencyNs.length).toBeGreaterThan(0)
  })

  it('fails with WRONG_ANSWER as soon as that plugin answers a call with another call’s number', async () => {
    await expect(runConcurrentCalls(sharedBoxPlugin(), 8, short)).rejects.toMatchObject({code: 'WRONG_ANSWER'})
  })

  it('has each caller make its minimum of calls even when a stall outlasts the run', async () => {
    let first = true
    const stallOnce = async (input: PluginInput): Promise<PluginOutput> => {
      if (first) {
        first = false
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      return {message: expectedMessage(input.number)}
    }
    const result = await runConcurrentCalls(stallOnce, 4, {durationMs: 0, minCallsPerCaller: 3, maxCalls: 1000})
    expect(result.timings.endNs).toHaveLength(12)
    expect(result.capped).toBe(false)
  })

  it('stops at the call cap and says so', async () => {
    const result = await runConcurrentCalls(async (input) => ({message: expectedMessage(input.number)}), 4, {durationMs: 60_000, minCallsPerCaller: 1, maxCalls: 50})
    expect(result.timings.endNs).toHaveLength(50)
    expect(result.capped).toBe(true)
  })

  it('ends the step at the first wrong answer: worker-thread with the crossed-answers plugin passes C=1, fails C=8', async () => {
    const outcome = await callsStep(workerThread, {step: 'calls', concurrency: [1, 8, 64], limits: short, warmup: {durationMs: 10, minCallsPerCaller: 1, maxCalls: 100}}, {pluginPath: crossedAnswers})
    expect(outcome.runs.map((run) => ('error' in run ? run.error.code : 'ok'))).toEqual(['ok', 'WRONG_ANSWER'])
  })
})

describe('plugins loaded at once', () => {
  const memory = async () => {}

  it('times all N, then checks each answers exactly a second time with its own number', async () => {
    const calls: number[] = []
    const outcome = await instancesStep(fakeMechanism(async () => plugin(async (input) => (calls.push(input.number), {message: expectedMessage(input.number)}))), 3, {}, memory)
    expect(outcome).toMatchObject({step: 'instances', n: 3, answeredExactly: 3})
    expect(outcome.loadMs).toHaveLength(3)
    expect(outcome.error).toBeUndefined()
    expect(calls.sort((a, b) => a - b)).toEqual([1000, 1001, 1002, 100_000, 100_001, 100_002])
  })

  it('asks for the memory before loading and once all N answered, in that order', async () => {
    const labels: string[] = []
    await instancesStep(fakeMechanism(async () => plugin(async (input) => ({message: expectedMessage(input.number)}))), 2, {}, async (label) => void labels.push(label))
    expect(labels).toEqual(['baseline', 'loaded'])
  })

  it('reports a load that failed with its code and how many answered', async () => {
    const mechanism = fakeMechanism(async (index) => {
      if (index === 1) throw new PluginError('START_TIMEOUT', 'plugin 1 did not start')
      return plugin(async (input) => ({message: expectedMessage(input.number)}))
    })
    expect(await instancesStep(mechanism, 3, {}, memory)).toMatchObject({answeredExactly: 2, error: {code: 'START_TIMEOUT', message: 'plugin 1 did not start'}})
  })

  it('fails with WRONG_ANSWER when plugins answer each other’s calls (one shared state behind N loads)', async () => {
    const shared = sharedBoxPlugin()
    const outcome = await instancesStep(fakeMechanism(async () => plugin(shared)), 4, {}, memory)
    expect(outcome.error?.code).toBe('WRONG_ANSWER')
  })
})

describe('a scale row', () => {
  it('fails its row with WRONG_ANSWER when a plugin answers a concurrent call with another call’s answer (child-rpc)', async () => {
    const row = await measureScaleRow(childRpc, tiny, {pluginPath: crossedAnswers})
    expect(row).toMatchObject({mechanism: 'child-rpc', status: 'failed', errorCode: 'WRONG_ANSWER'})
    expect(row.status === 'failed' && row.reason).toMatch(/^with 4 calls in flight: wrong answer: expected "My custom code prints PluginInputNumber: \d+", got "My custom code prints PluginInputNumber: \d+"$/)
  })

  it.skipIf(!haveGo)('fails with WRONG_ANSWER checked by the Go host itself (go-host-ts-plugin: the Go harness, C goroutines)', async () => {
    const row = await measureScaleRow(goHostTsPlugin, tiny, {pluginPath: crossedAnswers})
    expect(row).toMatchObject({status: 'failed', errorCode: 'WRONG_ANSWER'})
  })

  it('measures N and C on worker-thread: every point ok, the memory of the whole tree, throughput against C=1', async () => {
    const row = await measureScaleRow(workerThread, tiny, {})
    expect(row.status).toBe('ok')
    if (row.status !== 'ok' || row.instances.status !== 'measured' || row.calls.status !== 'measured') throw new Error('not measured')
    const [two] = row.instances.points
    expect(two).toMatchObject({status: 'ok', n: 2})
    if (two?.status !== 'ok') throw new Error('not ok')
    if (process.platform === 'linux') expect(two.memory).toMatchObject({measured: true, method: 'pss', processes: 1})
    expect(row.calls.points.map((p) => [p.c, p.status])).toEqual([
      [1, 'ok'],
      [4, 'ok'],
    ])
    expect(row.calls.points[0]).toMatchObject({gainOverC1: 1})
  })

  it.skipIf(!stdlibPluginSupport(stdlibPluginFacts()).supported)('says go-stdlib-plugin cannot hold N: N loads give one plugin', async () => {
    const row = await measureScaleRow(goStdlibPlugin, {...tiny, instanceCounts: [3], concurrency: [2]}, {})
    expect(row.status === 'ok' && row.instances.status === 'measured' && row.instances.points[0]).toMatchObject({status: 'shared', n: 3, distinctInstances: 1})
    expect(row.status === 'ok' && row.notes).toEqual([
      "calls serialised by the host with a mutex: the survey's ABI sets the package variable PluginInputNumber before each call, so calls that overlap would read each other's number",
    ])
  })

  it.skipIf(!haveGo)('counts every plugin process in the tree: floor-go-grpc with 3 servers is the Go host and 3 children', async () => {
    const row = await measureScaleRow(floorGoGrpc, {...tiny, instanceCounts: [3], concurrency: [1, 4]}, {})
    const point = row.status === 'ok' && row.instances.status === 'measured' ? row.instances.points[0] : undefined
    expect(point).toMatchObject({status: 'ok', n: 3})
    if (process.platform === 'linux' && point?.status === 'ok') expect(point.memory).toMatchObject({measured: true, method: 'pss', processes: 4})
    expect(row.status === 'ok' && row.calls.status === 'measured' && row.calls.points.map((p) => p.status)).toEqual(['ok', 'ok'])
  })

  it('is left out when the row declares no scale facts, and compiled-in says why it holds one plugin', async () => {
    expect(selectScaleRows(['go-coupling'])).toEqual([])
    expect(selectScaleRows(['child-rpc']).map((m) => m.id)).toEqual(['child-rpc', 'floor-unix-socket'])
    const row = await measureScaleRow(selectScaleRows(['compiled-in'])[0]!, tiny, {})
    expect(row).toMatchObject({status: 'ok', instances: {status: 'not-applicable'}, calls: {status: 'not-applicable'}})
  })
})

describe('the scale host', () => {
  it('finds every row it measures in the row’s own file, without importing the registry', async () => {
    const {importRow} = await import('../src/measure/scale/row-file.js')
    for (const id of scaleRowIds) {
      expect(existsSync(distPath('src', 'mechanisms', `${id}.js`)), `${id} has a file of its own`).toBe(true)
      expect((await importRow(id))?.id).toBe(id)
    }
    expect(await importRow('no-such-row')).toBeUndefined()
  })

  it('reports a host that died with its exit code and the end of its stderr', async () => {
    const run = await runScaleHost({file: process.execPath, args: ['-e', 'console.error("boom"); process.exit(3)']}, 30_000)
    expect(run).toEqual({ran: false, errorCode: 'HOST_DIED', reason: 'the scale host exited with code 3: boom'})
  })

  it('answers each memory checkpoint after measuring the host, and reads the outcome from the last line', async () => {
    const script = `
      const rl = require('node:readline').createInterface({input: process.stdin})
      const it = rl[Symbol.asyncIterator]()
      ;(async () => {
        console.log('noise from a plugin')
        console.log('@@scale {"event":"memory","label":"baseline"}'); await it.next()
        console.log('@@scale {"event":"memory","label":"loaded"}'); await it.next()
        console.log(JSON.stringify({step: 'instances', n: 1, loadMs: [5], allAnsweredMs: 5, answeredExactly: 1}))
        process.exit(0)
      })()`
    const measured: number[] = []
    const run = await runScaleHost({file: process.execPath, args: ['-e', script]}, 30_000, (pid) => (measured.push(pid), treeMemoryMeasured('rss', measured.length * 100, 1)))
    expect(run).toEqual({
      ran: true,
      outcome: {step: 'instances', n: 1, loadMs: [5], allAnsweredMs: 5, answeredExactly: 1},
      memory: {baseline: treeMemoryMeasured('rss', 100, 1), loaded: treeMemoryMeasured('rss', 200, 1)},
    })
    expect(new Set(measured).size).toBe(1)
  })
})

describe('ratios against the floor', () => {
  const memory = (perPlugin: number) => ({measured: true as const, method: 'pss' as const, hostBytes: 1000, totalBytes: 1000 + perPlugin * 10, perPluginBytes: perPlugin, processes: 11})
  const calls = (c: number, callsPerSec: number) => callsPointOk({c, calls: 100, wallMs: 1, callsPerSec, windowCallsPerSec: [1, 2, 1, 2, 1], p50Ns: 1, p99Ns: 2, capped: false})
  const row = (id: string, floor: string | undefined, startMs: number, perPlugin: number, c1: number, c64: number): ScaleRow =>
    scaleRowOk(
      {mechanism: id, family: id.startsWith('floor') ? 'floor' : 'node', floor},
      measuredPart([instancesPointOk({n: 10, allAnsweredMs: startMs, startP50Ms: startMs / 2, memory: memory(perPlugin)})]),
      measuredPart([calls(1, c1), calls(64, c64)]),
    )

  it('divides start time and memory per plugin at the same N, throughput at the same C', () => {
    const floor = row('floor-unix-socket', undefined, 200, 10_000_000, 40_000, 160_000)
    const measured = withScaleRatios(row('child-rpc', 'floor-unix-socket', 300, 15_000_000, 30_000, 90_000), [floor])
    expect(measured).toMatchObject({
      instances: {points: [{vsFloor: {allAnswered: 1.5, perPluginBytes: 1.5}}]},
      calls: {points: [{c: 1, vsFloor: 0.75}, {c: 64, vsFloor: 0.563}]},
    })
  })

  it('keeps three significant figures of a ratio far below 1, and gives none for memory within the noise', () => {
    const floor = row('floor-go-direct-call', undefined, 200, 10_000_000, 1_441_711, 1_799_168)
    const slow = withScaleRatios(row('go-extism', 'floor-go-direct-call', 300, -4096, 2892, 3617), [floor])
    expect(slow).toMatchObject({calls: {points: [{c: 1, vsFloor: 0.00201}, {c: 64, vsFloor: 0.00201}]}})
    expect(slow.status === 'ok' && slow.instances.status === 'measured' && slow.instances.points[0]).toMatchObject({vsFloor: {allAnswered: 1.5}})
    expect(slow.status === 'ok' && slow.instances.status === 'measured' && slow.instances.points[0].status === 'ok' && slow.instances.points[0].vsFloor?.perPluginBytes).toBeUndefined()
  })

  it('leaves a row without its floor in the run as it is', () => {
    const alone = row('child-rpc', 'floor-unix-socket', 300, 1, 1, 1)
    expect(withScaleRatios(alone, [])).toBe(alone)
    const notApplicable = scaleRowOk({mechanism: 'in-process', family: 'node'}, measuredPart([]), notApplicablePart('one thread'))
    expect(withScaleRatios(notApplicable, [row('floor-x', undefined, 1, 1, 1, 1)])).toBe(notApplicable)
  })
})
