// The rows of the second round (issue 14): each answers exactly, and the faults that tell them apart from their
// neighbours come out as documented: what a sandbox stops, what only looks like one, what a library recovers.
import {execa} from 'execa'
import {describe, expect, it} from 'vitest'
import {detectGo} from '../src/go/toolchain.js'
import {probeCell, type ProbedRow} from '../src/measure/crash/crash-test.js'
import {DEFAULT_CRASH_SETTINGS, type CrashSettings} from '../src/measure/crash/settings.js'
import {childPermission, permissionFlags} from '../src/mechanisms/child-permission.js'
import {childRpc} from '../src/mechanisms/child-rpc.js'
import {extismJs} from '../src/mechanisms/extism-js.js'
import {goExtism} from '../src/mechanisms/go-extism.js'
import {goHashicorpNetrpc} from '../src/mechanisms/go-hashicorp-netrpc.js'
import {goPie} from '../src/mechanisms/go-pie.js'
import {goYaegi} from '../src/mechanisms/go-yaegi.js'
import {nodeVm} from '../src/mechanisms/node-vm.js'
import {quickjs} from '../src/mechanisms/quickjs.js'
import {tsHostPie} from '../src/mechanisms/ts-host-pie.js'
import type {Loadable} from '../src/mechanisms/row.js'
import {distPath, samplePluginPath} from '../src/paths.js'
import {expectedMessage} from '../src/sample/contract.js'
import type {LoadedPlugin, LoadOptions} from '../src/transport/types.js'

const faultModule = (fault: string) => distPath('fixtures', 'node', 'faults', `${fault}.js`)

async function withPlugin<T>(mechanism: Loadable, options: LoadOptions, use: (plugin: LoadedPlugin) => Promise<T>): Promise<T> {
  const plugin = await mechanism.load(options)
  try {
    return await use(plugin)
  } finally {
    await plugin.dispose()
    await plugin.dispose()
  }
}

const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as {code: string; message: string})

describe.each([quickjs, nodeVm, extismJs].map((m) => [m.id, m] as const))('%s', (_id, mechanism) => {
  it('returns the exact sample answer and echoes a payload intact', async () => {
    await withPlugin(mechanism, {}, async (plugin) => {
      expect(await plugin.call({number: 7})).toEqual({message: expectedMessage(7)})
      const payload = 'é'.repeat(70_000)
      expect(await plugin.call({number: 42, payload})).toEqual({message: expectedMessage(42), payload})
    })
  })
})

describe('quickjs', () => {
  it('stops a hung call with its interrupt handler and answers the next call', async () => {
    await withPlugin(quickjs, {pluginPath: faultModule('hang'), callTimeoutMs: 200}, async (plugin) => {
      expect(await failureOf(plugin.call({number: 13}))).toMatchObject({code: 'CALL_TIMEOUT'})
      expect(await plugin.call({number: 7})).toEqual({message: expectedMessage(7)})
    })
  })

  it('has no process to exit or escape to: a ReferenceError, and the host lives on', async () => {
    for (const fault of ['exit', 'escape']) {
      await withPlugin(quickjs, {pluginPath: faultModule(fault), callTimeoutMs: 500}, async (plugin) => {
        expect(await failureOf(plugin.call({number: 13}))).toEqual(expect.objectContaining({code: 'PLUGIN_THREW', message: "the plugin threw: ReferenceError: 'process' is not defined"}))
      })
    }
  })

  it('refuses a module without the exports, naming what is missing', async () => {
    expect(await failureOf(quickjs.load({pluginPath: distPath('fixtures', 'node', 'missing-exports-plugin.js')}))).toMatchObject({code: 'PLUGIN_LOOKUP'})
  })

  it("ends the oom fault at its engine's memory cap and answers the next call in the same engine", async () => {
    await withPlugin(quickjs, {pluginPath: faultModule('oom'), callTimeoutMs: 60_000, heapLimitMb: 24}, async (plugin) => {
      expect(await failureOf(plugin.call({number: 13}))).toEqual(expect.objectContaining({code: 'PLUGIN_OOM', message: "the plugin reached its engine's memory cap of 24 MiB: QuickJS threw out of memory"}))
      expect(await plugin.call({number: 7})).toEqual({message: expectedMessage(7)})
    })
  })

  it('refuses a memory cap below what the engine starts with, saying what to give', async () => {
    expect(await failureOf(quickjs.load({heapLimitMb: 8}))).toEqual(expect.objectContaining({code: 'PLUGIN_LOAD', message: expect.stringContaining('a heap cap of 16 MiB or more')}))
  })
})

describe('node-vm', () => {
  it('stops a hung call with vm\'s timeout', async () => {
    await withPlugin(nodeVm, {pluginPath: faultModule('hang'), callTimeoutMs: 200}, async (plugin) => {
      expect(await failureOf(plugin.call({number: 13}))).toMatchObject({code: 'CALL_TIMEOUT'})
      expect(await plugin.call({number: 7})).toEqual({message: expectedMessage(7)})
    })
  })

  it('lets the escape fault reach the host\'s process and end it with exit code 3', async () => {
    const script = `const {nodeVm} = await import(${JSON.stringify(distPath('src', 'mechanisms', 'node-vm.js'))})
const plugin = await nodeVm.load({pluginPath: ${JSON.stringify(faultModule('escape'))}, callTimeoutMs: 500})
await plugin.call({number: 13})
console.log('the host lived')`
    const run = await execa(process.execPath, ['--input-type=module', '-e', script], {reject: false})
    expect(run.exitCode).toBe(3)
    expect(run.stdout).toBe('')
  })
})

describe('child-permission', () => {
  it('reads only the plugin folder and the runner', () => {
    expect(permissionFlags('/plugins/mine/plugin.js')).toEqual(['--permission', '--allow-fs-read=/plugins/mine/', `--allow-fs-read=${distPath('bundles')}/`])
  })

  it('refuses the forbidden read and spawn with ERR_ACCESS_DENIED, which child-rpc lets through', async () => {
    const refused = await withPlugin(childPermission, {pluginPath: faultModule('forbidden')}, (plugin) => failureOf(plugin.call({number: 13})))
    expect(refused).toMatchObject({code: 'ERR_ACCESS_DENIED'})
    expect(refused!.message).toContain('starting a process: ERR_ACCESS_DENIED')
    const allowed = await withPlugin(childRpc, {pluginPath: faultModule('forbidden')}, (plugin) => plugin.call({number: 13}))
    expect(allowed.message).toBe(expectedMessage(13))
    await withPlugin(childPermission, {pluginPath: samplePluginPath}, async (plugin) => expect((await plugin.call({number: 7})).message).toBe(expectedMessage(7)))
  })
})

describe('extism-js', () => {
  it('reports a trap and answers the next call with a new plugin', async () => {
    process.env.PLUGIN_SURVEY_FAULT = 'trap'
    try {
      await withPlugin(extismJs, {callTimeoutMs: 1000}, async (plugin) => {
        expect(await failureOf(plugin.call({number: 13}))).toMatchObject({code: 'PLUGIN_TRAP'})
        expect(await plugin.call({number: 7})).toEqual({message: expectedMessage(7)})
      })
    } finally {
      delete process.env.PLUGIN_SURVEY_FAULT
    }
  })
})

const haveGo = detectGo().supported

describe.skipIf(!haveGo)('the new Go rows', () => {
  it.each([goPie, goHashicorpNetrpc, goYaegi, goExtism, tsHostPie].map((m) => [m.id, m] as const))('%s returns the exact answer and echoes a payload', async (_id, mechanism) => {
    await withPlugin(mechanism, {}, async (plugin) => {
      expect(await plugin.call({number: 7})).toEqual({message: expectedMessage(7)})
      expect(await plugin.call({number: 8, payload: 'é'.repeat(1000)})).toEqual({message: expectedMessage(8), payload: 'é'.repeat(1000)})
    })
  })

  it('go-pie: garbage on stdout breaks the call (stdout is the channel); a new plugin answers the next', async () => {
    const outcome = await goPie.probe('stdout-garbage')
    expect(outcome).toMatchObject({hostSurvived: true, verdict: {answer: null, error: {code: 'PLUGIN_ERROR'}, next: {answer: expectedMessage(7), error: null}}})
  })

  it('go-hashicorp-netrpc: the plugin\'s stdout and stderr lines reach the host over net/rpc', async () => {
    const outcome = await goHashicorpNetrpc.probe('stdio-lines')
    expect(outcome).toMatchObject({hostSurvived: true, verdict: {answer: expectedMessage(7), stdio: {stdoutLines: 2, stderrLines: 2}}})
  })

  it('go-yaegi: os.Exit is a recovered panic; a panic in a goroutine ends the host', async () => {
    const [exit, reject] = await Promise.all([goYaegi.probe('exit'), goYaegi.probe('reject')])
    expect(exit).toMatchObject({hostSurvived: true, verdict: {error: {code: 'PLUGIN_PANIC', message: 'panic: os.Exit(3)'}, next: {answer: expectedMessage(7)}}})
    expect(reject).toMatchObject({hostSurvived: false, exitCode: 2})
  })

  it('ts-host-pie: replies matched by id when calls overlap, and ping asks the plugin over its channel', async () => {
    await withPlugin(tsHostPie, {}, async (plugin) => {
      const numbers = [1, 2, 3, 4, 5, 6, 7, 8]
      expect(await Promise.all(numbers.map((number) => plugin.call({number})))).toEqual(numbers.map((n) => ({message: expectedMessage(n)})))
      await plugin.ping()
    })
  })

  it("go-extism: Extism's timeout ends a hung call; the next call answers on a new instance", async () => {
    const outcome = await goExtism.probe('hang')
    expect(outcome).toMatchObject({hostSurvived: true, verdict: {error: {code: 'CALL_TIMEOUT'}, leakedGoroutines: 0, next: {answer: expectedMessage(7)}}})
  })
})

// What each row declares of a fault (its expected outcome and error codes) against the cell crash-test measures.
const settings: CrashSettings = {...DEFAULT_CRASH_SETTINGS, callTimeoutMs: 500, startTimeoutMs: 3000, hangGraceMs: 800, orphanGraceMs: 1000}
const declaredCells: [ProbedRow, string][] = [
  [childPermission, 'forbidden'],
  [childRpc, 'forbidden'],
  [nodeVm, 'escape'],
  [quickjs, 'escape'],
  [quickjs, 'oom'],
  [extismJs, 'oom'],
  ...(haveGo
    ? ([[goExtism, 'oom'], [goPie, 'stdout-garbage'], [goYaegi, 'exit'], [tsHostPie, 'stdout-garbage'], [tsHostPie, 'throw'], [tsHostPie, 'oom']] as [ProbedRow, string][])
    : []),
]

describe('crash cells of the new rows, as each row declares them', () => {
  it.each(declaredCells.map(([row, fault]) => [row.id, fault, row] as const))('%s × %s', async (_id, fault, row) => {
    // The forbidden call starts a process, which a busy machine can take more than the short timeout to do.
    const cell = await probeCell(row, fault, fault === 'forbidden' ? {...settings, callTimeoutMs: 10_000} : settings)
    const declared = row.faults[fault]!
    expect(cell).toMatchObject({status: 'ok', hostSurvived: declared.hostSurvived, recovered: declared.recovered, orphans: 0, asExpected: true})
    if (declared.errorCodes.length === 0) expect(cell.errorCode).toBeUndefined()
    else expect(declared.errorCodes).toContain(cell.errorCode)
  })
})
