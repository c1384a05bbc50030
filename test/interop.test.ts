// Interop with real hashicorp/go-plugin, both directions: the TypeScript host starting the Go plugin, and
// the Go host starting the TypeScript plugin, with AutoMTLS off and on. Skipped, with the reason, without Go.
import {mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {execa} from 'execa'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {detectGo, goBuild, goModuleDir} from '../src/go/toolchain.js'
import {distPath} from '../src/paths.js'
import type {HandshakeWait} from '../src/protocol/await-handshake.js'
import {startPlugin} from '../src/protocol/host.js'
import {loadProtoService} from '../src/protocol/proto-service.js'
import {groupLeftovers} from '../src/protocol/process-group.js'
import {sampleHandshake, sampleService} from '../src/protocol/sample-service.js'
import {goHashicorp} from '../src/mechanisms/go-hashicorp.js'
import {goHostTsPlugin} from '../src/mechanisms/go-host-ts-plugin.js'
import {tsHostGoPlugin} from '../src/mechanisms/ts-host-go-plugin.js'
import {expectedMessage} from '../src/sample/contract.js'
import {runCli} from './support/cli.js'

const go = detectGo()
const noGo = go.supported ? '' : ` (skipped: ${go.reason})`
const tsPlugin = distPath('src', 'hosts', 'grpc-sample-plugin.js')
let goPlugin = ''
let goHost = ''

describe.skipIf(!go.supported)(`interop with hashicorp/go-plugin${noGo}`, () => {
  beforeAll(async () => {
    const [plugin, host] = await Promise.all([goBuild({pkg: './goplugin/plugin', output: 'goplugin-plugin'}), goBuild({pkg: './goplugin/host', output: 'goplugin-host'})])
    goPlugin = plugin.binary
    goHost = host.binary
  }, 300_000)

  it.each([false, true])('TypeScript host -> Go plugin answers exactly (AutoMTLS %s)', async (autoMTLS) => {
    const host = await startPlugin({command: goPlugin, handshake: sampleHandshake, autoMTLS, startTimeoutMs: 15_000})
    expect(host.handshake.serverCertPem !== undefined).toBe(autoMTLS)
    const unary = host.client
    expect(await unary.call(sampleService.call, {number: 7, payload: 'echo'})).toEqual({message: expectedMessage(7), payload: 'echo'})
    expect(host.streams()).toEqual({stdio: {open: true}, broker: {open: true}})
    expect(await host.shutdown()).toMatchObject({graceful: true, exit: {exitCode: 0}})
    expect(await groupLeftovers(host.pid)).toEqual([])
  })

  it("TypeScript host -> Go plugin without its cookie gets go-plugin's refusal as MISSING_COOKIE", async () => {
    const error = await startPlugin({command: goPlugin, handshake: {...sampleHandshake, magicCookieValue: 'wrong'}, startTimeoutMs: 15_000}).catch((e: unknown) => e)
    expect(error).toMatchObject({code: 'MISSING_COOKIE'})
  })

  it.each([
    ['bad-core-version', 'HANDSHAKE_CORE_VERSION'],
    ['bad-app-version', 'HANDSHAKE_APP_VERSION'],
    ['bad-protocol', 'HANDSHAKE_PROTOCOL'],
    ['garbage-handshake', 'HANDSHAKE_UNRECOGNIZED'],
    ['noise-before-handshake', 'HANDSHAKE_STDOUT_NOISE'],
    ['exit-before-handshake', 'PLUGIN_EXITED'],
    ['no-handshake', 'START_TIMEOUT'],
  ])('TypeScript host -> Go plugin with %s fails with %s and leaves no process', async (fault, code) => {
    const trace: HandshakeWait = {noise: []}
    const error = await startPlugin({command: goPlugin, handshake: sampleHandshake, env: {PLUGIN_SURVEY_FAULT: fault}, startTimeoutMs: 2000, trace}).catch((e: unknown) => e)
    expect(error).toMatchObject({code})
    expect(await groupLeftovers(trace.pid!)).toEqual([])
  })

  it.each([[[]], [['-mtls']]])('Go host -> TypeScript plugin answers exactly (%j)', async (flags) => {
    const run = await execa(goHost, [...flags, '-plugin', process.execPath, '-arg', tsPlugin, '-call', '-n', '11', '-payload', 'hi there'], {reject: false, stdin: 'ignore', timeout: 60_000})
    expect(run.stderr).toBe('')
    expect(run.stdout).toBe(`${expectedMessage(11)}\nhi there`)
    expect(run.exitCode).toBe(0)
  })

  it("Go host -> TypeScript plugin that faults in the call: the host reports the plugin's error and survives", async () => {
    const run = await execa(goHost, ['-plugin', process.execPath, '-arg', tsPlugin, '-call', '-n', '1'], {reject: false, stdin: 'ignore', timeout: 60_000, env: {PLUGIN_SURVEY_FAULT: 'exit'}})
    expect(run.exitCode).toBe(1)
    // go-plugin's own error is the connection's; the host adds how the plugin's process ended.
    expect(run.stderr).toContain("error: the plugin's process ended (exit status 3); the call failed with: rpc error: code = Unavailable")
  })

  it.each([goHashicorp, tsHostGoPlugin, goHostTsPlugin].map((m) => [m.id, m] as const))('the %s row answers exactly through load()', async (_id, mechanism) => {
    const loaded = await mechanism.load({startTimeoutMs: 20_000})
    try {
      expect(await loaded.call({number: 7})).toEqual({message: expectedMessage(7)})
      expect(await loaded.call({number: 8, payload: 'x'.repeat(70_000)})).toEqual({message: expectedMessage(8), payload: 'x'.repeat(70_000)})
    } finally {
      await loaded.dispose()
    }
  })
})

// go-plugin's own examples/grpc, built from the module cache: a host and a plugin written by others.
describe.skipIf(!go.supported)(`interop with go-plugin's own examples/grpc${noGo}`, () => {
  const handshake = {protocolVersion: 1, magicCookieKey: 'BASIC_PLUGIN', magicCookieValue: 'hello'}
  let exampleHost = ''
  let examplePlugin = ''
  let kvProto = ''
  let dir = ''

  beforeAll(async () => {
    const [host, plugin, module] = await Promise.all([
      goBuild({pkg: 'github.com/hashicorp/go-plugin/examples/grpc', output: 'goplugin-example-host'}),
      goBuild({pkg: 'github.com/hashicorp/go-plugin/examples/grpc/plugin-go-grpc', output: 'goplugin-example-plugin'}),
      execa('go', ['list', '-m', '-f', '{{.Dir}}', 'github.com/hashicorp/go-plugin'], {cwd: goModuleDir, env: {GOFLAGS: '-mod=mod'}}),
    ])
    exampleHost = host.binary
    examplePlugin = plugin.binary
    kvProto = path.join(String(module.stdout).trim(), 'examples', 'grpc', 'proto', 'kv.proto')
    dir = mkdtempSync(path.join(os.tmpdir(), 'ps-kv-'))
  }, 300_000)
  afterAll(() => rmSync(dir, {recursive: true, force: true}))

  it('builds the examples from the go-plugin release fixtures/go requires', async () => {
    for (const binary of [exampleHost, examplePlugin]) {
      const {stdout} = await execa('go', ['version', '-m', binary])
      expect(stdout).toMatch(/^\s+mod\s+github\.com\/hashicorp\/go-plugin\s+v1\.8\.0\s/m)
    }
  })

  it("go-plugin's example host puts and gets through the TypeScript KV plugin", async () => {
    // Since go-plugin v1.8.0 the example host asks KV_PROTO which of its two plugins (grpc, netrpc) to dispense.
    const env = {KV_PLUGIN: `"${process.execPath}" "${distPath('src', 'hosts', 'grpc-kv-plugin.js')}"`, KV_PROTO: 'grpc', PLUGIN_SURVEY_KV_PROTO: kvProto}
    const put = await execa(exampleHost, ['put', 'greeting', 'hello world'], {cwd: dir, env, reject: false, stdin: 'ignore'})
    expect(put.exitCode).toBe(0)
    const get = await execa(exampleHost, ['get', 'greeting'], {cwd: dir, env, reject: false, stdin: 'ignore'})
    expect(get.stdout).toBe("hello world\n\nWritten from plugin-survey's TypeScript plugin")
    expect(get.exitCode).toBe(0)
  })

  it("the TypeScript host puts and gets through go-plugin's example Go plugin, with a client from kv.proto", async () => {
    const host = await startPlugin({command: examplePlugin, handshake, cwd: dir, startTimeoutMs: 15_000})
    const kv = await host.grpcJsClient<any>(await loadProtoService(kvProto, 'proto.KV'), 'KV')
    const call = (name: string, request: object) => new Promise<any>((resolve, reject) => kv[name](request, (e: Error | null, r: unknown) => (e ? reject(e) : resolve(r))))
    await call('Put', {key: 'answer', value: Buffer.from('42')})
    const got = await call('Get', {key: 'answer'})
    expect(Buffer.from(got.value).toString()).toBe('42\n\nWritten from plugin-go-grpc')
    expect(await host.shutdown()).toMatchObject({graceful: true})
  })

  it("probe passes go-plugin's example Go plugin with its own cookie", async () => {
    const run = await runCli(['probe', '--json', '--cookie', 'BASIC_PLUGIN=hello', '--', examplePlugin])
    expect(JSON.parse(run.stdout)).toMatchObject({passed: true, leftBehind: []})
    expect(run.exitCode).toBe(0)
  })
})
