// The go-plugin compatible host and plugin SDK, TypeScript on both sides: exact answers, stdio, shutdown,
// AutoMTLS, checksums, descriptors loaded from the .proto, and no process left behind.
import {createHash} from 'node:crypto'
import {existsSync, readFileSync, rmSync} from 'node:fs'
import path from 'node:path'
import {execa} from 'execa'
import {describe, expect, it} from 'vitest'
import {distPath, packageRoot} from '../src/paths.js'
import type {HandshakeWait} from '../src/protocol/await-handshake.js'
import {startPlugin, type HostOptions} from '../src/protocol/host.js'
import {loadProtoService} from '../src/protocol/proto-service.js'
import {groupLeftovers} from '../src/protocol/process-group.js'
import {SAMPLE_SERVICE_NAME, sampleHandshake, sampleService} from '../src/protocol/sample-service.js'
import {frame, MessageReader, wholeMessage} from '../src/protocol/frames.js'
import {GrpcCallError} from '../src/protocol/grpc-client.js'
import {healthService} from '../src/protocol/services.js'
import {childGrpc} from '../src/mechanisms/child-grpc.js'
import {loadGoPluginSample} from '../src/mechanisms/go-plugin-sample.js'
import {expectedMessage} from '../src/sample/contract.js'

const plugin = distPath('src', 'hosts', 'grpc-sample-plugin.js')
const start = (extra: Partial<HostOptions> = {}) => startPlugin({command: process.execPath, args: [plugin], handshake: sampleHandshake, startTimeoutMs: 15_000, ...extra})

describe('TypeScript host <-> TypeScript plugin', () => {
  it('answers exactly through the lean client and through a grpc-js client, then shuts down gracefully leaving nothing', async () => {
    const host = await start()
    const unary = host.client
    expect(await unary.call(sampleService.call, {number: 7})).toEqual({message: expectedMessage(7), payload: undefined})
    expect(await unary.call(sampleService.call, {number: -3, payload: ''})).toEqual({message: expectedMessage(-3), payload: ''})
    const client = await host.grpcJsClient<any>(sampleService, 'Sample')
    const reply = await new Promise((resolve, reject) => client.call({number: 42, payload: 'é'.repeat(70_000)}, (e: Error | null, r: unknown) => (e ? reject(e) : resolve(r))))
    expect(reply).toEqual({message: expectedMessage(42), payload: 'é'.repeat(70_000)})
    expect(host.handshake).toMatchObject({coreVersion: 1, appVersion: 1, network: 'unix', protocol: 'grpc'})
    expect(host.streams()).toEqual({stdio: {open: true}, broker: {open: true}})
    const shutdown = await host.shutdown()
    expect(shutdown).toMatchObject({graceful: true, exit: {exitCode: 0}})
    expect(await host.shutdown()).toBe(shutdown)
    expect(await groupLeftovers(host.pid)).toEqual([])
  })

  it.skipIf(process.platform === 'win32')("a shutdown ends the plugin's own children as well", async () => {
    const host = await start({command: 'sh', args: ['-c', `sleep 30 & exec "${process.execPath}" "${plugin}"`]})
    expect((await groupLeftovers(host.pid, 0)).length).toBe(2)
    expect(await host.shutdown()).toMatchObject({graceful: true, exit: {exitCode: 0}})
    expect(await groupLeftovers(host.pid)).toEqual([])
  })

  it("streams the plugin's own stdout over GRPCStdio, not onto the handshake pipe", async () => {
    const seen: string[] = []
    const host = await start({env: {PLUGIN_SURVEY_FAULT: 'stdout-garbage'}, onStdio: (channel, data) => seen.push(`${channel}:${data.toString('utf8')}`)})
    const unary = host.client
    expect(await unary.call(sampleService.call, {number: 1})).toEqual({message: expectedMessage(1), payload: undefined})
    await expect.poll(() => seen).toEqual(['stdout:\u0000\u00ffgarbage from the plugin{{{not json\n'])
    await host.shutdown()
  })

  it('speaks AutoMTLS: the plugin answers with its certificate and requires the host\'s', async () => {
    const host = await start({autoMTLS: true})
    expect(host.handshake.serverCertPem).toMatch(/^-----BEGIN CERTIFICATE-----\n/)
    const unary = host.client
    expect(await unary.call(sampleService.call, {number: 9})).toEqual({message: expectedMessage(9), payload: undefined})
    await host.ping()
    expect((await host.shutdown()).graceful).toBe(true)
  })

  it('serves and dispenses a service loaded from its .proto file at run time', async () => {
    const host = await start({env: {PLUGIN_SURVEY_DESCRIPTORS: 'proto-loader'}})
    const definition = await loadProtoService(path.join(packageRoot, 'proto', 'sample.proto'), SAMPLE_SERVICE_NAME)
    const client = await host.grpcJsClient<any>(definition, 'Sample')
    const reply = await new Promise((resolve, reject) => client.call({number: 5, payload: 'x'}, (e: Error | null, r: unknown) => (e ? reject(e) : resolve(r))))
    expect(reply).toMatchObject({message: expectedMessage(5), payload: 'x'})
    const unary = host.client
    expect(await unary.call(sampleService.call, {number: 6})).toEqual({message: expectedMessage(6), payload: undefined})
    await host.shutdown()
  })

  it('refuses a plugin whose SHA-256 does not match, and starts one whose does', async () => {
    const error = await start({sha256: '0'.repeat(64)}).catch((e: unknown) => e)
    expect(error).toMatchObject({code: 'CHECKSUM_MISMATCH'})
    expect((error as Error).message).toContain(`checksums did not match: ${process.execPath} has SHA-256 `)
    const good = createHash('sha256').update(readFileSync(process.execPath)).digest('hex')
    const host = await start({sha256: good})
    await host.shutdown()
  })

  it('carries a plugin error code and a call timeout as codes', async () => {
    const host = await start({env: {PLUGIN_SURVEY_FAULT: 'never'}})
    const unary = host.client
    const error = await unary.call(sampleService.call, {number: 1}, 300).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GrpcCallError)
    expect((error as GrpcCallError).status).toBe(4)
    const unknown = await unary.call({...sampleService.call, path: '/pluginsurvey.sample.v1.Sample/Nope'}, {number: 1}).catch((e: unknown) => e)
    expect(unknown).toMatchObject({status: 12, details: 'unknown service or method /pluginsurvey.sample.v1.Sample/Nope'})
    await host.kill()
    expect(await groupLeftovers(host.pid)).toEqual([])
    // A killed plugin cannot remove its socket: the host's socket folder goes with it.
    expect(existsSync(path.dirname(host.handshake.address))).toBe(false)
  })

  it('answers a health check of another service with NOT_FOUND, as grpc-go does', async () => {
    const host = await start()
    expect(await host.client.call(healthService.check, {service: 'other'}).catch((e: unknown) => e)).toMatchObject({status: 5, details: 'unknown service'})
    await host.shutdown()
  })
})

// Plugins that break the protocol after a good handshake line: small h2 servers written for the test.
const fakePlugin = (body: string) => ({
  command: process.execPath,
  args: [
    '--input-type=module',
    '-e',
    `import http2 from 'node:http2'
     import net from 'node:net'
     import path from 'node:path'
     import {certField, generateIdentity} from ${JSON.stringify(distPath('src', 'protocol', 'mtls.js'))}
     // In the host's socket folder, as a go-plugin plugin does: the host removes it once the plugin is killed.
     const socket = path.join(process.env.PLUGIN_UNIX_SOCKET_DIR, 'fake')
     ${body}`,
  ],
})

// Unix sockets in the host's socket folder: not on Windows.
describe.skipIf(process.platform === 'win32')('a plugin that breaks the protocol after its handshake', () => {
  it('a malformed GRPCStdio message ends that stream with INTERNAL; the host lives on and ends the plugin', async () => {
    const host = await startPlugin({
      ...fakePlugin(`
        const server = http2.createServer()
        server.on('stream', (stream, headers) => {
          stream.respond({':status': 200, 'content-type': 'application/grpc'}, {waitForTrailers: true})
          stream.once('wantTrailers', () => stream.sendTrailers({'grpc-status': '0'}))
          // Health: status SERVING. Stdio: a varint cut short. The broker stream: held open.
          if (headers[':path'] === '/grpc.health.v1.Health/Check') stream.end(Buffer.from([0, 0, 0, 0, 2, 8, 1]))
          else if (headers[':path'] === '/plugin.GRPCStdio/StreamStdio') stream.write(Buffer.from([0, 0, 0, 0, 2, 8, 0x80]))
        })
        server.listen(socket, () => process.stdout.write('1|1|unix|' + socket + '|grpc|\\n'))`),
      handshake: sampleHandshake,
      startTimeoutMs: 15_000,
      shutdownGraceMs: 200,
    })
    await expect.poll(() => host.streams().stdio).toEqual({open: false, code: 13, details: 'cannot decode a message: malformed protobuf message: a truncated varint at byte 1'})
    await host.ping()
    expect(await host.shutdown()).toMatchObject({graceful: false, exit: {signal: 'SIGKILL'}})
    expect(await groupLeftovers(host.pid)).toEqual([])
  })

  it('a certificate in the handshake but no TLS on the socket fails within the start timeout, leaving nothing', async () => {
    const trace: HandshakeWait = {noise: []}
    const error = await startPlugin({
      ...fakePlugin(`
        net.createServer(() => {}).listen(socket, () => process.stdout.write('1|1|unix|' + socket + '|grpc|' + certField(generateIdentity()) + '\\n'))`),
      handshake: sampleHandshake,
      autoMTLS: true,
      startTimeoutMs: 1500,
      trace,
    }).catch((e: unknown) => e)
    expect(error).toMatchObject({code: 'START_TIMEOUT', message: expect.stringMatching(/^timeout while waiting for plugin to start: no TLS connection to /)})
    expect(await groupLeftovers(trace.pid!)).toEqual([])
  })
})

describe('gRPC message framing', () => {
  it('reassembles messages split across chunks and several in one chunk, and stops at a problem', () => {
    const seen: string[] = []
    const problems: unknown[] = []
    const reader = new MessageReader((m) => seen.push(m.toString()), (p) => problems.push(p), 10)
    const wire = Buffer.concat([frame(Buffer.from('hello')), frame(Buffer.from('')), frame(Buffer.from('world!'))])
    for (let i = 0; i < wire.length; i += 3) reader.push(wire.subarray(i, i + 3))
    expect(seen).toEqual(['hello', '', 'world!'])
    reader.push(frame(Buffer.from('far too long')))
    reader.push(frame(Buffer.from('ignored')))
    expect(problems).toEqual([{kind: 'too-large', length: 12}])
    expect(seen).toEqual(['hello', '', 'world!'])
    const compressed = new MessageReader(() => {}, (p) => problems.push(p))
    compressed.push(Buffer.from([1, 0, 0, 0, 0]))
    expect(problems).toEqual([{kind: 'too-large', length: 12}, {kind: 'compressed'}])
  })
})

describe('a message whole in its chunk', () => {
  it('is read without a reader only when the chunk is exactly one uncompressed message within the limit', () => {
    const one = frame(Buffer.from('hello'))
    expect(wholeMessage(one, 10)?.toString()).toBe('hello')
    expect(wholeMessage(frame(Buffer.alloc(0)), 10)?.length).toBe(0)
    expect(wholeMessage(one.subarray(0, 7), 10)).toBeUndefined()
    expect(wholeMessage(Buffer.concat([one, frame(Buffer.from('x'))]), 10)).toBeUndefined()
    expect(wholeMessage(Buffer.concat([Buffer.from([1]), one.subarray(1)]), 10)).toBeUndefined()
    expect(wholeMessage(one, 4)).toBeUndefined()
    expect(wholeMessage(Buffer.from([0, 0, 0]), 10)).toBeUndefined()
  })
})

describe('the hand-written codecs', () => {
  it('encode and decode the sample messages exactly as proto/sample.proto does', async () => {
    const fromProto = (await loadProtoService(path.join(packageRoot, 'proto', 'sample.proto'), SAMPLE_SERVICE_NAME)).Call
    for (const request of [{number: 7}, {number: -1, payload: ''}, {number: 2 ** 40, payload: 'é'.repeat(300)}]) {
      expect(fromProto.requestDeserialize(sampleService.call.requestSerialize(request))).toMatchObject(request)
      expect(sampleService.call.requestDeserialize(fromProto.requestSerialize(request))).toEqual({payload: undefined, ...request})
    }
    const response = {message: expectedMessage(3), payload: 'p'}
    expect(sampleService.call.responseDeserialize(fromProto.responseSerialize(response))).toEqual(response)
    expect(fromProto.responseDeserialize(sampleService.call.responseSerialize({message: 'm'}))).toEqual({message: 'm'})
  })
})

describe('the child-grpc mechanism', () => {
  it('reports a plugin that exits in a call as PLUGIN_EXITED with its exit code, and ends it', async () => {
    const loaded = await loadGoPluginSample(process.execPath, [plugin], {}, {env: {PLUGIN_SURVEY_FAULT: 'exit'}})
    const error = await loaded.call({number: 3}).catch((e: unknown) => e)
    expect(error).toMatchObject({code: 'PLUGIN_EXITED', message: 'the plugin process exited with code 3'})
    expect(await loaded.closed).toMatchObject({code: 'PLUGIN_EXITED'})
    await loaded.dispose()
    await loaded.dispose()
  })

  it("reports a handler that throws with the plugin's own code, PLUGIN_THREW, and keeps answering", async () => {
    const loaded = await loadGoPluginSample(process.execPath, [plugin], {}, {env: {PLUGIN_SURVEY_FAULT: 'throw'}})
    for (const number of [1, 2]) {
      const error = await loaded.call({number}).catch((e: unknown) => e)
      expect(error).toMatchObject({code: 'PLUGIN_THREW', message: 'plugin-survey fault: throw in the call'})
    }
    await loaded.ping()
    await loaded.dispose()
  })

  it('reports a plugin killed by a signal in a call as PLUGIN_CRASHED', async () => {
    const loaded = await loadGoPluginSample(process.execPath, [plugin], {}, {env: {PLUGIN_SURVEY_FAULT: 'segfault'}})
    const error = await loaded.call({number: 3}).catch((e: unknown) => e)
    expect(error).toMatchObject({code: 'PLUGIN_CRASHED', message: 'the plugin process was killed by SIGSEGV'})
    await loaded.dispose()
  })

  it('answers through the row as the sample does', async () => {
    const loaded = await childGrpc.load({})
    expect(await loaded.call({number: 3})).toEqual({message: expectedMessage(3)})
    expect(await loaded.call({number: 4, payload: 'abc'})).toEqual({message: expectedMessage(4), payload: 'abc'})
    await loaded.dispose()
  })

  it('leaves no orphan when its host is killed with SIGKILL', async () => {
    const script = `
      import {startPlugin} from ${JSON.stringify(distPath('src', 'protocol', 'host.js'))}
      import {sampleHandshake} from ${JSON.stringify(distPath('src', 'protocol', 'sample-service.js'))}
      const host = await startPlugin({command: process.execPath, args: [${JSON.stringify(plugin)}], handshake: sampleHandshake})
      console.log(host.pid, host.handshake.address)
      setInterval(() => {}, 1000)`
    const parent = execa(process.execPath, ['--input-type=module', '-e', script], {reject: false, buffer: false, stdout: 'pipe'})
    const [pid, socket] = await new Promise<[number, string]>((resolve) =>
      parent.stdout!.once('data', (chunk: Buffer) => {
        const [p, address] = chunk.toString().trim().split(' ')
        resolve([Number(p), address])
      }),
    )
    expect(pid).toBeGreaterThan(0)
    parent.kill('SIGKILL')
    await parent
    await expect.poll(() => groupLeftovers(pid, 0), {timeout: 5000, interval: 200}).toEqual([])
    // A host killed with SIGKILL cannot remove the plugin's socket folder: the test does.
    rmSync(path.dirname(socket), {recursive: true, force: true})
  })

  it.skipIf(process.platform === 'win32')("kills the plugin's whole group when its host exits on an uncaught exception", async () => {
    const script = `
      import {startPlugin} from ${JSON.stringify(distPath('src', 'protocol', 'host.js'))}
      import {sampleHandshake} from ${JSON.stringify(distPath('src', 'protocol', 'sample-service.js'))}
      const host = await startPlugin({command: 'sh', args: ['-c', 'sleep 30 & exec "$0" "$1"', process.execPath, ${JSON.stringify(plugin)}], handshake: sampleHandshake})
      console.log(host.pid, host.handshake.address)
      throw new Error('the host fails')`
    const parent = await execa(process.execPath, ['--input-type=module', '-e', script], {reject: false})
    expect(parent.stderr).toContain('the host fails')
    const [pid, socket] = String(parent.stdout).trim().split(' ')
    expect(Number(pid)).toBeGreaterThan(0)
    // The plugin's sleep would outlive its host by 30 s; the plugin itself only notices its parent is gone.
    await expect.poll(() => groupLeftovers(Number(pid), 0), {timeout: 2000, interval: 100}).toEqual([])
    expect(existsSync(path.dirname(socket))).toBe(false)
  })
})
