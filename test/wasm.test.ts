import {readFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, beforeAll, describe, expect, it} from 'vitest'
import {probeCell} from '../src/measure/crash/crash-test.js'
import {FAULT_TRIGGER, FAULT_VARIABLE} from '../src/sample/faults.js'
import {DEFAULT_CRASH_SETTINGS, type CrashSettings} from '../src/measure/crash/settings.js'
import {benchOne} from '../src/measure/bench.js'
import {benchSettings} from '../src/measure/settings.js'
import {buildGoWasm, goWasm} from '../src/mechanisms/go-wasm.js'
import type {LoadedPlugin} from '../src/transport/types.js'
import {wasm} from '../src/mechanisms/wasm.js'
import {distPath} from '../src/paths.js'
import {expectedMessage, PluginError} from '../src/sample/contract.js'
import {buildAssemblyScriptModule, buildGoWasmModule, detectGoWasm} from '../src/wasm/build.js'
import {hostWasm} from '../src/wasm/host.js'
import {compileModule, MEMORY_LIMIT_PAGES, WASM_PAGE_BYTES} from '../src/wasm/instance.js'

const PAYLOAD_SIZES = [16, 1024, 64 * 1024, 1024 * 1024]
const CAP_BYTES = MEMORY_LIMIT_PAGES * WASM_PAGE_BYTES
// Short limits: a hang is noticed after 300 ms.
const CRASH: CrashSettings = {...DEFAULT_CRASH_SETTINGS, callTimeoutMs: 300, hangGraceMs: 1000, settleMs: 50}
// Only `hang` waits for the call timeout; the other faults must not race it (or the start) on a loaded machine,
// where a 1.8 MB Go module compiles and a heap fills slower than 300 ms.
const patientUnlessHang = (fault: string): CrashSettings => (fault === 'hang' ? CRASH : {...CRASH, startTimeoutMs: 20_000, callTimeoutMs: 20_000})

async function failure(promise: Promise<unknown>): Promise<PluginError> {
  return promise.then(
    () => {
      throw new Error('the call was expected to fail')
    },
    (error: PluginError) => error,
  )
}

async function expectEchoes(plugin: LoadedPlugin): Promise<void> {
  expect(await plugin.call({number: 7})).toEqual({message: 'My custom code prints PluginInputNumber: 7'})
  expect(await plugin.call({number: -2147483648})).toEqual({message: 'My custom code prints PluginInputNumber: -2147483648'})
  const accented = 'é'.repeat(70_000)
  expect(await plugin.call({number: 42, payload: accented})).toEqual({message: expectedMessage(42), payload: accented})
  for (const bytes of PAYLOAD_SIZES) {
    const payload = 'x'.repeat(bytes)
    const output = await plugin.call({number: bytes, payload})
    expect(output.message).toBe(expectedMessage(bytes))
    expect(output.payload === payload).toBe(true)
  }
}

/** Every module a compiled file loads when it runs (its value imports, followed), as paths below dist/src. */
function runtimeImports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen
  seen.add(file)
  for (const [, spec] of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)) {
    if (spec!.startsWith('.')) runtimeImports(path.resolve(path.dirname(file), spec!), seen)
    else if (!spec!.startsWith('node:')) seen.add(spec!)
  }
  return seen
}

describe('wasm: the AssemblyScript build hosted by Node', () => {
  // Each restart after a hang starts a worker: one that imported the build side (the Go toolchain, execa) took
  // seconds to start on a busy machine, past the start timeout, and the cell did not recover.
  it('starts its worker with the instance code alone, nothing of the build side', () => {
    const imports = [...runtimeImports(distPath('src', 'hosts', 'wasm-worker.js'))].map((file) => path.relative(distPath('src'), file))
    expect(imports.sort()).toEqual(['hosts/wasm-worker.js', 'sample/contract.js', 'wasm/instance.js'])
  })

  let module: WebAssembly.Module
  beforeAll(async () => {
    module = await compileModule((await buildAssemblyScriptModule()).path)
  })

  it('returns the exact sample answer and echoes payloads of 16 B to 1 MiB through linear memory', async () => {
    const plugin = await wasm.load({})
    await expectEchoes(plugin)
    expect(plugin.callSync?.({number: 8})).toEqual({message: expectedMessage(8)})
    await plugin.dispose()
    await plugin.dispose()
  })

  it('answers the same from a worker, where it runs when calls have a timeout', async () => {
    const plugin = await wasm.load({callTimeoutMs: 5000})
    expect(plugin.callSync).toBeUndefined()
    await expectEchoes(plugin)
    await plugin.dispose()
    await plugin.dispose()
  })

  it('refuses a number that is not a 32-bit integer with BAD_INPUT', async () => {
    const plugin = await wasm.load({})
    const error = await failure(plugin.call({number: 2 ** 31}))
    expect(error.code).toBe('BAD_INPUT')
    expect(error.message).toBe('a wasm plugin takes a 32-bit integer, not 2147483648')
  })

  it('trap: the call fails with PLUGIN_TRAP and the next call, on a fresh instance, answers exactly', async () => {
    const plugin = await hostWasm(module, {fault: {name: 'trap', trigger: FAULT_TRIGGER}})
    const error = await failure(plugin.call({number: FAULT_TRIGGER}))
    expect(error.code).toBe('PLUGIN_TRAP')
    expect(error.message).toBe('the plugin trapped: unreachable')
    expect(await plugin.call({number: 7})).toEqual({message: expectedMessage(7)})
  })

  it("oom: memory.grow fails at the host's cap and the call fails with PLUGIN_OOM; the host lives on", async () => {
    const plugin = await hostWasm(module, {fault: {name: 'oom', trigger: FAULT_TRIGGER}})
    const error = await failure(plugin.call({number: FAULT_TRIGGER}))
    expect(error.code).toBe('PLUGIN_OOM')
    expect(error.message).toBe(`the plugin failed with its memory at the host's cap of ${CAP_BYTES} bytes: unreachable`)
    expect(await plugin.call({number: 7})).toEqual({message: expectedMessage(7)})
  })

  it('hang: a worker-hosted call fails with CALL_TIMEOUT, the worker is terminated and the next call answers', async () => {
    const plugin = await hostWasm(module, {callTimeoutMs: 300, fault: {name: 'hang', trigger: FAULT_TRIGGER}})
    const error = await failure(plugin.call({number: FAULT_TRIGGER}))
    expect(error.code).toBe('CALL_TIMEOUT')
    expect(await plugin.call({number: 7})).toEqual({message: expectedMessage(7)})
    await plugin.dispose()
  })

  describe('armed by crash-test through the environment', () => {
    afterEach(() => {
      delete process.env[FAULT_VARIABLE]
    })

    it('refuses a fault the module does not have, naming the ones it has', async () => {
      process.env[FAULT_VARIABLE] = 'segfault'
      const error = await failure(wasm.load({}))
      expect(error.code).toBe('UNKNOWN_FAULT')
      expect(error.message).toBe('PLUGIN_SURVEY_FAULT=segfault is not a wasm fault: use one of trap, hang, oom')
    })
  })

  it.each([
    ['trap', 'PLUGIN_TRAP'],
    ['hang', 'CALL_TIMEOUT'],
    ['oom', 'PLUGIN_OOM'],
  ])('crash-test %s: the host survives with %s and recovers, as documented', async (fault, code) => {
    const row = await probeCell(wasm, fault, patientUnlessHang(fault))
    expect(row).toMatchObject({status: 'ok', hostSurvived: true, errorCode: code, recovered: true, orphans: 0, asExpected: true})
  })
})

const goSupport = detectGoWasm()
const goTitle = goSupport.supported ? 'the Go build (wasip1, //go:wasmexport)' : `the Go build: skipped, ${goSupport.reason}`

describe.skipIf(!goSupport.supported)(goTitle, () => {
  beforeAll(async () => {
    await buildGoWasm()
  }, 300_000)

  it('hosted by Node (node:wasi, as a reactor) returns the exact answer and echoes payloads', async () => {
    const plugin = await hostWasm(await compileModule((await buildGoWasmModule()).path))
    await expectEchoes(plugin)
    const error = await failure(plugin.call({number: 7.5}))
    expect(error.code).toBe('BAD_INPUT')
  })

  it('hosted by Node, exits through WASI proc_exit: the call fails with PLUGIN_EXITED, the host lives on', async () => {
    const plugin = await hostWasm(await compileModule((await buildGoWasmModule()).path), {fault: {name: 'exit', trigger: FAULT_TRIGGER}})
    const error = await failure(plugin.call({number: FAULT_TRIGGER}))
    expect(error.code).toBe('PLUGIN_EXITED')
    expect(error.message).toBe('the plugin exited with code 3')
    expect(await plugin.call({number: 7})).toEqual({message: expectedMessage(7)})
  })

  it('hosted by wazero (go-wasm) returns the exact answer and echoes payloads', async () => {
    const plugin = await goWasm.load({startTimeoutMs: 30_000})
    try {
      await expectEchoes(plugin)
    } finally {
      await plugin.dispose()
      await plugin.dispose()
    }
  })

  it('go-wasm is measured by the wazero host: an ok row, every answer checked by the harness', async () => {
    const settings = benchSettings(true, {coldStartSamples: 1, rounds: 2, roundMs: 10, payloadRoundMs: 10, payloadSizes: [16, 1024 * 1024]})
    const row = await benchOne(goWasm, settings, {})
    expect(row).toMatchObject({mechanism: 'go-wasm', family: 'wasm', status: 'ok', floor: 'floor-go-direct-call'})
    expect(row.status === 'ok' && row.payload?.map((p) => p.bytes)).toEqual([16, 1024 * 1024])
  })

  it.each([
    ['trap', 'PLUGIN_TRAP', 'the plugin trapped: wasm error: out of bounds memory access'],
    ['hang', 'CALL_TIMEOUT', 'the plugin did not return within 300 ms: the host closed its module (module closed with context deadline exceeded)'],
    ['oom', 'PLUGIN_OOM', "the plugin failed with its memory at the host's limit: wasm error: unreachable: fatal error: out of memory"],
    ['exit', 'PLUGIN_EXITED', 'the plugin exited with code 3'],
  ])('crash-test %s: the wazero host survives with %s and recovers on a fresh instance', async (fault, code, message) => {
    const row = await probeCell(goWasm, fault, patientUnlessHang(fault))
    expect(row).toMatchObject({status: 'ok', hostSurvived: true, errorCode: code, errorMessage: message, recovered: true, orphans: 0, asExpected: true})
  })
})
