import {mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {execa} from 'execa'
import {beforeAll, describe, expect, it} from 'vitest'
import {detectGo, goEnv} from '../src/go/toolchain.js'
import {benchOne, runBench} from '../src/measure/bench.js'
import {benchSettings} from '../src/measure/settings.js'
import {floorGoDirectCall} from '../src/mechanisms/floor-go-direct-call.js'
import {goCompiledIn} from '../src/mechanisms/go-compiled-in.js'
import {goHashicorp} from '../src/mechanisms/go-hashicorp.js'
import {COUPLING_ERROR, demonstrateCoupling, goCoupling} from '../src/mechanisms/go-coupling.js'
import {goPluginPlatforms} from '../src/mechanisms/go-plugin-platforms.js'
import {buildStdlibPlugin, goStdlibPlugin, stdlibPluginSupport, type StdlibPluginFacts} from '../src/mechanisms/go-stdlib-plugin.js'
import {distPath} from '../src/paths.js'
import {expectedMessage} from '../src/sample/contract.js'

const linuxWithCgo: StdlibPluginFacts = {platform: 'linux', go: {supported: true, detail: 'go 1.26.8'}, cgoEnabled: '1', cc: 'gcc', ccOnPath: true}

describe('go-stdlib-plugin platform detection', () => {
  it('supports linux with cgo and a C compiler, naming both', () => {
    expect(stdlibPluginSupport(linuxWithCgo)).toEqual({supported: true, detail: 'go 1.26.8, cgo with gcc'})
  })

  it("skips where the toolchain refused the build mode, with the toolchain's own words", () => {
    const refusal = '-buildmode=plugin not supported on windows/amd64'
    expect(stdlibPluginSupport({...linuxWithCgo, platform: 'win32', toolchainRefusal: refusal})).toEqual({
      supported: false,
      reason: 'the Go toolchain refuses to build a plugin here: "-buildmode=plugin not supported on windows/amd64" (golang/go#19282)',
    })
  })

  it('does not skip a platform off the documented list unless the toolchain refused it: the build then tries', () => {
    expect(stdlibPluginSupport({...linuxWithCgo, platform: 'aix'})).toEqual({supported: true, detail: 'go 1.26.8, cgo with gcc'})
  })

  it("skips without Go with detectGo's reason", () => {
    const go = {supported: false as const, reason: 'go not found on PATH: install Go >= 1.26 to measure the go-* rows'}
    expect(stdlibPluginSupport({...linuxWithCgo, go})).toEqual(go)
  })

  it('says when CGO_ENABLED=0 is set in the environment', () => {
    expect(stdlibPluginSupport({...linuxWithCgo, cgoEnabled: '0', cgoEnabledEnv: '0'})).toEqual({
      supported: false,
      reason: 'cgo is disabled: CGO_ENABLED=0 is set in the environment; Go plugins need cgo: unset it or set CGO_ENABLED=1',
    })
  })

  it('says when go env has cgo off although a C compiler is there', () => {
    expect(stdlibPluginSupport({...linuxWithCgo, cgoEnabled: '0'})).toEqual({
      supported: false,
      reason: 'cgo is disabled: go env CGO_ENABLED is 0; Go plugins need cgo: run `go env -w CGO_ENABLED=1` (and have gcc or clang installed)',
    })
  })

  it('names the missing C compiler, whether or not Go turned cgo off because of it', () => {
    const reason =
      'no C compiler: go env CC is "gcc", which is not on PATH; Go plugins need cgo: install gcc or clang (e.g. `apt-get install gcc`, `xcode-select --install`) or point CC at one'
    expect(stdlibPluginSupport({...linuxWithCgo, cgoEnabled: '0', ccOnPath: false})).toEqual({supported: false, reason})
    expect(stdlibPluginSupport({...linuxWithCgo, ccOnPath: false})).toEqual({supported: false, reason})
  })
})

describe('go rows without Go', () => {
  it("skip every go row and the Go floor with detectGo's reason", async () => {
    // The rows' own detection, in a process that cannot find go.
    const script = `const {findRow} = await import(${JSON.stringify(distPath('src', 'mechanisms', 'index.js'))})
const {runBench} = await import(${JSON.stringify(distPath('src', 'measure', 'bench.js'))})
const {benchSettings} = await import(${JSON.stringify(distPath('src', 'measure', 'settings.js'))})
const ids = ['go-stdlib-plugin', 'go-compiled-in', 'go-coupling', 'floor-go-direct-call', 'floor-go-grpc']
const rows = await runBench(ids.map(findRow), benchSettings(true), {})
console.log(JSON.stringify(rows.map((r) => [r.mechanism, r.status, r.reason])))`
    // An empty folder as the whole PATH (node's own folder may hold go too, as /usr/bin can).
    const bin = mkdtempSync(path.join(os.tmpdir(), 'ps-no-go-'))
    const run = await execa(process.execPath, ['--input-type=module', '-e', script], {env: {PATH: bin}, extendEnv: false}).finally(() => rmSync(bin, {recursive: true}))
    const reason = 'go not found on PATH: install Go >= 1.26 to measure the go-* rows'
    expect(JSON.parse(run.stdout)).toEqual([
      ['go-stdlib-plugin', 'skipped', reason],
      ['go-compiled-in', 'skipped', reason],
      ['go-coupling', 'skipped', reason],
      ['floor-go-direct-call', 'skipped', reason],
      ['floor-go-grpc', 'skipped', reason],
    ])
  })
})

const haveGo = detectGo().supported
const havePlugins = haveGo && (await goStdlibPlugin.detect()).supported
// A first build on a machine whose Go build cache is cold compiles the standard library (for a plugin: again, with
// -dynlink), about 40 s a build on 2 busy cores: builds get a build's time, before the tests that time calls.
const BUILD_MS = 300_000

describe.skipIf(!havePlugins)('go-stdlib-plugin', () => {
  beforeAll(() => buildStdlibPlugin(), BUILD_MS)

  it("does exactly the survey's steps: sets 7, calls KnownPluginFunction, which prints the line", async () => {
    const build = await buildStdlibPlugin()
    const run = await execa(build.host, [...build.args, '-survey'])
    expect(run.stdout).toBe('My custom code prints PluginInputNumber: 7')
  })

  it('returns the exact sample answer and echoes a payload through its host', async () => {
    const plugin = await goStdlibPlugin.load({})
    try {
      expect(await plugin.call({number: 7})).toEqual({message: expectedMessage(7)})
      const payload = 'é'.repeat(70_000)
      expect(await plugin.call({number: 42, payload})).toEqual({message: expectedMessage(42), payload})
    } finally {
      await plugin.dispose()
      await plugin.dispose()
    }
  })

  it('probes: a panic in the call is recovered and the next call answers', async () => {
    const outcome = await goStdlibPlugin.probe('throw')
    expect(outcome).toMatchObject({hostSurvived: true, verdict: {fault: 'throw', answer: null, error: {code: 'PLUGIN_PANIC', message: 'panic: plugin-survey fault: panic in the call'}}})
    expect(outcome.hostSurvived && outcome.verdict.next).toMatchObject({answer: expectedMessage(7), error: null})
  })

  it('probes: a panic in a goroutine, os.Exit and a segfault end the host', async () => {
    const [reject, exit, segfault] = await Promise.all(['reject', 'exit', 'segfault'].map((fault) => goStdlibPlugin.probe(fault)))
    expect(reject).toMatchObject({hostSurvived: false, exitCode: 2})
    expect(reject.stderrHead).toContain('plugin-survey fault: panic in a goroutine')
    expect(exit).toMatchObject({hostSurvived: false, exitCode: 3})
    expect(segfault).toMatchObject({hostSurvived: false, exitCode: 2})
    expect(segfault.stderrHead).toContain('signal SIGSEGV')
  })

  it('probes: a hung call times out, its goroutine leaks, the next call answers', async () => {
    const outcome = await goStdlibPlugin.probe('hang', {callTimeoutMs: 200})
    expect(outcome).toMatchObject({hostSurvived: true, verdict: {error: {code: 'CALL_TIMEOUT'}, leakedGoroutines: 1, next: {answer: expectedMessage(7)}}})
  })
})

describe.skipIf(!haveGo)('go-compiled-in', () => {
  beforeAll(() => goCompiledIn.build({}), BUILD_MS)

  it('returns the exact sample answer and echoes a payload through its host', async () => {
    const plugin = await goCompiledIn.load({})
    try {
      expect(await plugin.call({number: 7})).toEqual({message: expectedMessage(7)})
      expect(await plugin.call({number: 8, payload: 'abc'})).toEqual({message: expectedMessage(8), payload: 'abc'})
    } finally {
      await plugin.dispose()
    }
  })

  it('probes without a fault: the exact answer, twice', async () => {
    const outcome = await goCompiledIn.probe(undefined)
    expect(outcome).toMatchObject({hostSurvived: true, verdict: {fault: '', answer: expectedMessage(7), error: null, next: {answer: expectedMessage(7)}}})
  })

  it("runs as crash-test's throwaway host, printing its events", async () => {
    const command = await goCompiledIn.crashHost!('throw', {callTimeoutMs: 500, heapLimitMb: 64})
    const run = await execa(command.file, command.args, {env: command.env})
    const events = run.stdout.split('\n').filter((line) => line.startsWith('@@crash ')).map((line) => JSON.parse(line.slice('@@crash '.length)))
    expect(events.map((e) => e.event)).toEqual(['ready', 'injecting', 'detected', 'result'])
    expect(events[3]).toMatchObject({errorCode: 'PLUGIN_PANIC', errorMessage: 'panic: plugin-survey fault: panic in the call', recovered: true, restarts: 0})
  })

  it('measures an ok row in its rounds mode, batched and said so, paired with the Go floor', async () => {
    const settings = benchSettings(true, {coldStartSamples: 2, rounds: 4, roundMs: 5, payloadRoundMs: 5, payloadSizes: [16]})
    const [row, floor] = await runBench([goCompiledIn, floorGoDirectCall], settings, {})
    expect(row).toMatchObject({mechanism: 'go-compiled-in', family: 'go', status: 'ok', floor: 'floor-go-direct-call', coldStart: {samples: 2}, call: {timing: 'batch-mean'}})
    expect(row!.status === 'ok' && row!.call!.batch).toBeGreaterThan(1)
    expect(row!.status === 'ok' && row!.payload).toEqual([{bytes: 16, p50Ns: expect.any(Number), timing: 'batch-mean'}])
    const ratio = row!.status === 'ok' ? row!.ratios?.find((r) => r.against === 'floor-go-direct-call') : undefined
    expect(ratio?.rounds.length).toBeGreaterThanOrEqual(4)
    expect(floor).toMatchObject({mechanism: 'floor-go-direct-call', status: 'ok'})
    expect(floor!.status === 'ok' && floor!.call!.rounds.length).toBe(ratio?.rounds.length)
  })
})

describe.skipIf(!havePlugins)('rows paired against rows', () => {
  it('times go-hashicorp against go-stdlib-plugin round by round, while both hosts are warm', async () => {
    const settings = benchSettings(true, {coldStartSamples: 1, rounds: 4, roundMs: 5, payloadSizes: [], extraRoundsMs: 0})
    const rows = await runBench([goStdlibPlugin, goHashicorp, floorGoDirectCall], settings, {})
    const hashicorp = rows.find((r) => r.mechanism === 'go-hashicorp')!
    if (hashicorp.status !== 'ok') throw new Error(hashicorp.reason)
    const versus = hashicorp.ratios?.find((r) => r.against === 'go-stdlib-plugin')
    expect(versus).toMatchObject({figure: 'call', kind: 'row'})
    expect(versus!.rounds).toHaveLength(4)
    // A process round trip against a function call: far more than 10x.
    expect(versus!.median).toBeGreaterThan(10)
  }, 180_000)
})

describe.skipIf(!havePlugins)('go-coupling', () => {
  let coupling: Awaited<ReturnType<typeof demonstrateCoupling>>
  beforeAll(async () => {
    coupling = await demonstrateCoupling()
  }, BUILD_MS)

  it('opens a plugin built against the host’s release, and refuses one built against another', () => {
    const {matching, skewed} = coupling
    expect(matching).toEqual({host: 'skew v1.0.0', opened: true, plugin: 'skew v1.0.0'})
    expect(skewed.opened).toBe(false)
    expect(skewed.error).toMatch(/^plugin\.Open\(".*coupling-plugin-v1\.1\.0"\): plugin was built with a different version of package github\.com\/plugin-survey\/skew$/)
  })

  it('reports the exact error as the row’s finding', async () => {
    const row = await benchOne(goCoupling, benchSettings(true), {})
    expect(row).toMatchObject({mechanism: 'go-coupling', status: 'finding'})
    const finding = row.status === 'finding' ? row.finding : undefined
    expect(finding?.slice(finding.indexOf(': ') + 2)).toBe(`${COUPLING_ERROR} github.com/plugin-survey/skew`)
  })
})

describe.skipIf(!havePlugins)('go-plugin-platforms', () => {
  it('builds the plugin natively, and the toolchain refuses -buildmode=plugin for windows with its exact message', async () => {
    const row = await benchOne(goPluginPlatforms, benchSettings(true), {})
    expect(row.status).toBe('finding')
    const targets = row.status === 'finding' ? row.targets! : []
    const native = `${goEnv(['GOHOSTOS', 'GOHOSTARCH'])!.GOHOSTOS}/${goEnv(['GOHOSTOS', 'GOHOSTARCH'])!.GOHOSTARCH}`
    expect(targets.find((t) => t.target === native)).toEqual({target: native, outcome: 'built'})
    expect(targets.find((t) => t.target === 'windows/amd64')).toEqual({target: 'windows/amd64', outcome: 'refused', message: '-buildmode=plugin not supported on windows/amd64'})
    for (const target of ['linux/amd64', 'darwin/arm64', 'freebsd/amd64']) expect(['built', 'accepted']).toContain(targets.find((t) => t.target === target)?.outcome)
    expect(row.status === 'finding' && row.finding).toContain('refused for windows/amd64: "-buildmode=plugin not supported on windows/amd64"')
  }, BUILD_MS) // the row's cross builds for darwin and freebsd compile the standard library for each
})
