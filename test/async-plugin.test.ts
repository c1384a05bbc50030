import {describe, expect, it} from 'vitest'
import {detectGo} from '../src/go/toolchain.js'
import {runBench} from '../src/measure/bench.js'
import {benchSettings} from '../src/measure/settings.js'
import {findRow} from '../src/mechanisms/index.js'
import {distPath} from '../src/paths.js'

const asyncPlugin = distPath('fixtures', 'node', 'async-plugin.js')
const settings = benchSettings(true, {coldStartSamples: 1, rounds: 2, roundMs: 5, warmupMs: 5, payloadRoundMs: 5, payloadSizes: [16, 1024 * 1024], extraRoundsMs: 0})
// Every row that loads a user's TypeScript plugin: the Node hosts, and the Go go-plugin host of the TypeScript plugin.
const rows = ['in-process', 'compiled-in', 'worker-thread', 'child-rpc', 'child-grpc', ...(detectGo().supported ? ['go-host-ts-plugin'] : [])]

describe('an async KnownPluginFunction is a correct plugin', () => {
  it.each(rows)('%s measures it: ok, every answer awaited and checked, payloads too', async (id) => {
    const [row] = await runBench([findRow(id)!], settings, {pluginPath: asyncPlugin})
    if (row!.status !== 'ok') throw new Error(`${id} ${row!.status}: ${row!.reason}`)
    expect(row!.call!.samples).toBeGreaterThan(0)
    expect(row!.coldStart!.samples).toBe(1)
    expect(row!.payload!.map((p) => p.bytes)).toEqual([16, 1024 * 1024])
  }, 120_000)
})
