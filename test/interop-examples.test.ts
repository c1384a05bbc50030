// go-plugin's own examples (v1.8.0), both ways: its Go hosts start the SDK's TypeScript plugins, and the SDK's
// TypeScript host starts its Go (and Python) plugins. bidirectional exercises the GRPCBroker each way, streaming
// the streaming calls and hclog logging each way, negotiated the app version negotiation.
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {execa} from 'execa'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {detectGo} from '../src/go/toolchain.js'
import {distPath} from '../src/paths.js'
import {loadProtoService, startPlugin, type LogEntry} from '../src/protocol/index.js'
import {groupLeftovers} from '../src/protocol/process-group.js'
import {buildExample, goPluginModuleDir, nodeWrapper, pythonForExample} from './support/go-plugin-examples.js'
import {runCli} from './support/cli.js'

const go = detectGo()
const noGo = go.supported ? '' : ` (skipped: ${go.reason})`
const handshake = {protocolVersion: 1, magicCookieKey: 'BASIC_PLUGIN', magicCookieValue: 'hello'}
const tsPlugin = (name: string) => distPath('fixtures', 'node', 'go-plugin-examples', `${name}.js`)
let moduleDir = ''
let dir = ''
const example = (...parts: string[]) => path.join(moduleDir, 'examples', ...parts)
const freshDir = (name: string) => {
  const folder = path.join(dir, name)
  mkdirSync(folder, {recursive: true})
  return folder
}

describe.skipIf(!go.supported)(`go-plugin's examples with the TypeScript SDK${noGo}`, () => {
  beforeAll(async () => {
    moduleDir = await goPluginModuleDir()
    dir = mkdtempSync(path.join(os.tmpdir(), 'ps-examples-'))
  })
  afterAll(() => rmSync(dir, {recursive: true, force: true}))

  describe('examples/bidirectional: the broker', () => {
    let goHost = ''
    let goPlugin = ''
    beforeAll(async () => {
      ;[goHost, goPlugin] = await Promise.all([buildExample('bidirectional'), buildExample('bidirectional/plugin-go-grpc')])
    }, 300_000)

    it("go-plugin's Go host counts through the TypeScript plugin, which dials back the host's AddHelper", async () => {
      const cwd = freshDir('bidirectional-go-host')
      const env = {COUNTER_PLUGIN: `"${process.execPath}" "${tsPlugin('counter-plugin')}"`, PLUGIN_SURVEY_EXAMPLE_PROTO: example('bidirectional', 'proto', 'kv.proto')}
      const run = (...args: string[]) => execa(goHost, args, {cwd, env, reject: false, stdin: 'ignore', timeout: 60_000})
      expect((await run('put', 'hello', '1')).exitCode).toBe(0)
      expect((await run('put', 'hello', '41')).exitCode).toBe(0)
      const get = await run('get', 'hello')
      expect(get.stdout).toBe('42')
      expect(get.exitCode).toBe(0)
    })

    it('the TypeScript host counts through the Go plugin, serving it AddHelper through the broker', async () => {
      const proto = example('bidirectional', 'proto', 'kv.proto')
      const [counterService, addHelperService] = await Promise.all([loadProtoService(proto, 'proto.Counter'), loadProtoService(proto, 'proto.AddHelper')])
      const host = await startPlugin({command: goPlugin, handshake, cwd: freshDir('bidirectional-ts-host'), startTimeoutMs: 15_000, autoMTLS: true})
      const counter = host.dispense(counterService)
      const sums: Array<[number, number]> = []
      for (const value of [5, 37]) {
        const id = host.broker.nextId()
        const served = await host.broker.acceptAndServe(id, [
          {
            definition: addHelperService,
            implementation: {
              async Sum(call: {request: {a: number; b: number}}) {
                sums.push([call.request.a, call.request.b])
                return {r: call.request.a + call.request.b}
              },
            },
          },
        ])
        await counter.Put({add_server: id, key: 'answer', value})
        await served.close()
      }
      expect(sums).toEqual([
        [0, 5],
        [5, 37],
      ])
      expect(await counter.Get({key: 'answer'})).toEqual({value: 42})
      // An id nobody serves: the plugin's dial times out after go-plugin's 5 s, and the call says so.
      await expect(counter.Put({add_server: 999, key: 'answer', value: 1})).rejects.toMatchObject({details: 'timeout waiting for connection info'})
      expect(await host.shutdown()).toMatchObject({graceful: true})
      expect(await groupLeftovers(host.pid)).toEqual([])
    }, 30_000)
  })

  describe('examples/streaming: streaming calls and hclog logs', () => {
    let goHost = ''
    let goPlugin = ''
    beforeAll(async () => {
      ;[goHost, goPlugin] = await Promise.all([buildExample('streaming'), buildExample('streaming/plugin')])
    }, 300_000)

    it("go-plugin's Go host streams through the TypeScript plugin, and re-logs its hclog lines with their level and fields", async () => {
      const cwd = freshDir('streaming-go-host')
      mkdirSync(path.join(cwd, 'plugin'))
      nodeWrapper(path.join(cwd, 'plugin', 'streamer'), tsPlugin('streamer-plugin'))
      const run = await execa(goHost, [path.join(cwd, 'myfile')], {cwd, env: {PLUGIN_SURVEY_EXAMPLE_PROTO: example('streaming', 'proto', 'streamer.proto')}, reject: false, stdin: 'ignore', timeout: 60_000})
      expect(run.exitCode).toBe(0)
      const lines = String(run.stderr)
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
      expect(lines.find((l) => l['@message'] === 'received 26 bytes')).toMatchObject({bytes: 'Lorem ipsum dolor sit amet'})
      // The Go host parsed the plugin's line: its own message, level and fields, under the plugin's logger name.
      expect(lines.find((l) => l['@message'] === 'FileStreamer: Write finished')).toMatchObject({'@level': 'debug', '@module': 'streamer', 'bytes written': 26})
    })

    it("the TypeScript host streams through the Go plugin, and its logger gets the plugin's hclog lines with level and fields", async () => {
      const streamerService = await loadProtoService(example('streaming', 'proto', 'streamer.proto'), 'proto.StreamerService')
      const logs: Array<LogEntry & {plugin: string}> = []
      const host = await startPlugin({command: goPlugin, handshake, startTimeoutMs: 15_000, logger: {log: (entry) => logs.push(entry)}})
      const streamer = host.dispense(streamerService)
      const file = path.join(freshDir('streaming-ts-host'), 'myfile')
      await streamer.Configure({path: file, chunk_size: 10})
      const text = 'Lorem ipsum dolor sit amet'
      await streamer.Write(Array.from({length: 3}, (_, i) => ({bytes_to_write: Buffer.from(text.slice(i * 10, i * 10 + 10))})))
      const chunks: string[] = []
      for await (const chunk of streamer.Read({})) chunks.push(Buffer.from(chunk.read_bytes).toString())
      // The Go plugin sends the file in chunks of its own size (its chunk_size was set by Configure).
      expect(chunks).toEqual(['Lorem ipsu', 'm dolor si', 't amet'])
      await expect.poll(() => logs.find((l) => l.message === 'FileStreamer: Write finished')).toMatchObject({level: 'debug', plugin: path.basename(goPlugin), fields: {'bytes written': 26}})
      await expect.poll(() => logs.find((l) => l.message === 'FileStreamer: Read')).toMatchObject({level: 'debug', fields: {path: file}})
      expect(logs.find((l) => l.message === 'FileStreamer: Read')?.timestamp).toBeInstanceOf(Date)
      expect((await host.shutdown()).graceful).toBe(true)
    })
  })

  describe('examples/negotiated: app versions', () => {
    let goHost = ''
    let goPlugin = ''
    beforeAll(async () => {
      ;[goHost, goPlugin] = await Promise.all([buildExample('negotiated'), buildExample('negotiated/plugin-go')])
    }, 300_000)

    it("go-plugin's Go host (version 3, gRPC) gets version 3 of the TypeScript plugin; its net/rpc version 2 is refused with go-plugin's message", async () => {
      const cwd = freshDir('negotiated-go-host')
      nodeWrapper(path.join(cwd, 'kv-plugin'), tsPlugin('negotiated-plugin'))
      const env = {PLUGIN_SURVEY_EXAMPLE_PROTO: example('grpc', 'proto', 'kv.proto')}
      const run = (proto: string, ...args: string[]) => execa(goHost, args, {cwd, env: {...env, KV_PROTO: proto}, reject: false, stdin: 'ignore', timeout: 60_000})
      expect((await run('grpc', 'put', 'hello', 'world')).exitCode).toBe(0)
      const get = await run('grpc', 'get', 'hello')
      expect(get.stdout).toBe('world\n\nWritten from plugin version 3\nRead by plugin version 3\n')
      const netrpc = await run('netrpc', 'get', 'hello')
      expect(netrpc.stdout).toBe('Error: incompatible API version with plugin. Plugin version: 3, Client versions: [2]')
      expect(netrpc.exitCode).toBe(1)
    })

    it('the TypeScript host gets the Go plugin\'s gRPC version 3 when it offers it, and refuses its net/rpc version 2', async () => {
      const kvService = await loadProtoService(example('grpc', 'proto', 'kv.proto'), 'proto.KV')
      const cwd = freshDir('negotiated-ts-host')
      const host = await startPlugin({command: goPlugin, handshake, appVersions: [2, 3], cwd, startTimeoutMs: 15_000})
      expect(host.version).toBe(3)
      const kv = host.dispense(kvService)
      await kv.Put({key: 'hello', value: Buffer.from('world')})
      expect(Buffer.from((await kv.Get({key: 'hello'})).value).toString()).toBe('world\n\nWritten from plugin version 3\nRead by plugin version 3\n')
      await host.shutdown()
      const error = await startPlugin({command: goPlugin, handshake, appVersions: [2], cwd, startTimeoutMs: 15_000}).catch((e: unknown) => e)
      expect(error).toMatchObject({code: 'HANDSHAKE_PROTOCOL', message: 'unsupported plugin protocol "netrpc". Supported: [grpc]'})
    })

    it('the TypeScript host and plugin agree on the highest version both offer', async () => {
      const command = process.execPath
      const args = [tsPlugin('negotiated-plugin')]
      const env = {PLUGIN_SURVEY_EXAMPLE_PROTO: example('grpc', 'proto', 'kv.proto')}
      const four = await startPlugin({command, args, env, handshake, appVersions: [1, 3, 4], startTimeoutMs: 15_000})
      expect(four.version).toBe(4)
      await four.shutdown()
      const three = await startPlugin({command, args, env, handshake, appVersions: [3], startTimeoutMs: 15_000})
      expect(three.version).toBe(3)
      await three.shutdown()
    })
  })

  describe("examples/grpc: HashiCorp's Python plugin", () => {
    let python: {python: string} | {reason: string} = {reason: 'not set up'}
    beforeAll(async () => {
      python = await pythonForExample(moduleDir)
    }, 300_000)

    it('the TypeScript host puts and gets through it, and probe passes it with warnings for what it does not serve', async (context) => {
      if (!('python' in python)) return context.skip(python.reason)
      const kvService = await loadProtoService(example('grpc', 'proto', 'kv.proto'), 'proto.KV')
      const command = python.python
      const args = [example('grpc', 'plugin-python', 'plugin.py')]
      const host = await startPlugin({command, args, handshake, cwd: freshDir('python-ts-host'), startTimeoutMs: 30_000, shutdownGraceMs: 500})
      await expect.poll(() => host.streams()).toEqual({stdio: {open: false, code: 12, details: expect.any(String)}, broker: {open: false, code: 12, details: expect.any(String)}})
      const kv = host.dispense(kvService)
      await kv.Put({key: 'py', value: Buffer.from('hello')})
      expect(Buffer.from((await kv.Get({key: 'py'})).value).toString()).toBe('hello\n\nWritten from plugin-python')
      await host.shutdown()

      const probe = await runCli(['probe', '--json', '--cookie', 'BASIC_PLUGIN=hello', '--start-timeout', '30000', '--', command, ...args])
      const report = JSON.parse(probe.stdout) as {passed: boolean; checks: Array<{id: string; status: string; detail: string}>}
      const status = Object.fromEntries(report.checks.map((c) => [c.id, c.status]))
      expect(status).toMatchObject({cookie: 'warn', start: 'pass', health: 'pass', stdio: 'warn', broker: 'warn', controller: 'warn', 'left-behind': 'pass'})
      expect(report.checks.find((c) => c.id === 'broker')?.detail).toContain('a go-plugin host still runs it')
      expect(report.passed).toBe(true)
      expect(probe.exitCode).toBe(0)
    }, 120_000)
  })
})
