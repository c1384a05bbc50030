// Bad handshakes never crash the host: each gives its code and go-plugin's message within the start
// timeout, and leaves no process behind. The misbehaving plugins are chosen by name (PLUGIN_SURVEY_FAULT).
import {performance} from 'node:perf_hooks'
import {describe, expect, it} from 'vitest'
import {distPath} from '../src/paths.js'
import type {HandshakeWait} from '../src/protocol/await-handshake.js'
import {formatHandshake, inspectHandshake, negotiateVersion, offeredVersions, parseHandshake} from '../src/protocol/handshake.js'
import {startPlugin} from '../src/protocol/host.js'
import {groupLeftovers} from '../src/protocol/process-group.js'
import {sampleHandshake} from '../src/protocol/sample-service.js'

const START_TIMEOUT_MS = 3000
const plugin = distPath('src', 'hosts', 'grpc-sample-plugin.js')

const cases: Array<[fault: string, code: string, message: string]> = [
  ['bad-core-version', 'HANDSHAKE_CORE_VERSION', 'incompatible core API version with plugin. Plugin version: 2, Core version: 1'],
  ['bad-app-version', 'HANDSHAKE_APP_VERSION', 'incompatible API version with plugin. Plugin version: 99, Client versions: [1]'],
  ['bad-protocol', 'HANDSHAKE_PROTOCOL', 'unsupported plugin protocol "carrier-pigeon". Supported: [grpc]'],
  ['garbage-handshake', 'HANDSHAKE_UNRECOGNIZED', 'Unrecognized remote plugin message: hello, I am not a handshake'],
  ['noise-before-handshake', 'HANDSHAKE_STDOUT_NOISE', 'the plugin printed "plugin-survey fault: noise on stdout before the handshake" on stdout before its handshake line'],
  ['exit-before-handshake', 'PLUGIN_EXITED', 'plugin exited before we could connect: it exited with code 2: plugin-survey fault: exiting before the handshake'],
  ['no-handshake', 'START_TIMEOUT', `timeout while waiting for plugin to start: no handshake line on stdout within ${START_TIMEOUT_MS} ms`],
]

describe('a bad handshake', () => {
  it.each(cases)('%s fails with %s and leaves no process', async (fault, code, message) => {
    const trace: HandshakeWait = {noise: []}
    const started = performance.now()
    const error = await startPlugin({command: process.execPath, args: [plugin], handshake: sampleHandshake, startTimeoutMs: START_TIMEOUT_MS, env: {PLUGIN_SURVEY_FAULT: fault}, trace}).then(
      (host) => host.kill().then(() => undefined),
      (e: unknown) => e,
    )
    const elapsed = performance.now() - started
    expect(error).toMatchObject({code})
    expect((error as Error).message.startsWith(message)).toBe(true)
    // Within the start timeout, with room for a loaded machine to notice it.
    expect(elapsed).toBeLessThan(START_TIMEOUT_MS + 2000)
    expect(await groupLeftovers(trace.pid!)).toEqual([])
  })

  it.skipIf(process.platform === 'win32')("kills the plugin's own children too (its process group)", async () => {
    const trace: HandshakeWait = {noise: []}
    const error = await startPlugin({command: 'sh', args: ['-c', 'sleep 30 & echo garbage; sleep 30'], handshake: sampleHandshake, startTimeoutMs: START_TIMEOUT_MS, trace}).catch((e: unknown) => e)
    expect(error).toMatchObject({code: 'HANDSHAKE_UNRECOGNIZED', message: expect.stringMatching(/^Unrecognized remote plugin message: garbage\n/)})
    expect(await groupLeftovers(trace.pid!)).toEqual([])
  })

  it('without the magic cookie the plugin refuses with MISSING_COOKIE', async () => {
    const error = await startPlugin({command: process.execPath, args: [plugin], handshake: {...sampleHandshake, magicCookieValue: 'wrong'}, startTimeoutMs: START_TIMEOUT_MS}).catch((e: unknown) => e)
    expect(error).toMatchObject({code: 'MISSING_COOKIE'})
    expect((error as Error).message).toContain('This binary is a plugin. These are not meant to be executed directly.')
  })

  it('a command that cannot start fails with PLUGIN_NOT_STARTED', async () => {
    const error = await startPlugin({command: '/nonexistent/plugin-survey-plugin', handshake: sampleHandshake, startTimeoutMs: START_TIMEOUT_MS}).catch((e: unknown) => e)
    expect(error).toMatchObject({code: 'PLUGIN_NOT_STARTED'})
  })
})

describe('the handshake line', () => {
  const accept = {appVersions: [1, 2], protocols: ['grpc']}

  it('parses a good line and formats it back', () => {
    const line = formatHandshake({appVersion: 2, network: 'unix', address: '/tmp/plugin1', protocol: 'grpc'})
    expect(line).toBe('1|2|unix|/tmp/plugin1|grpc|')
    expect(parseHandshake(line, accept)).toEqual({coreVersion: 1, appVersion: 2, network: 'unix', address: '/tmp/plugin1', protocol: 'grpc', serverCertPem: undefined, multiplex: undefined})
  })

  it('defaults a missing protocol field to netrpc, as go-plugin does', () => {
    expect(inspectHandshake('1|1|tcp|127.0.0.1:1234', accept).error).toMatchObject({code: 'HANDSHAKE_PROTOCOL', message: 'unsupported plugin protocol "netrpc". Supported: [grpc]'})
  })

  it('checks every field and names the first failure', () => {
    const inspection = inspectHandshake('1|3|pipe|x|grpc|', accept)
    expect(inspection.fields.map((f) => [f.field, f.ok])).toEqual([['core', true], ['app', false], ['network', false], ['address', true], ['protocol', true]])
    expect(inspection.error).toMatchObject({code: 'HANDSHAKE_APP_VERSION', message: 'incompatible API version with plugin. Plugin version: 3, Client versions: [1 2]'})
  })

  it("ignores a short sixth field and rejects a certificate that does not parse", () => {
    expect(inspectHandshake('1|1|unix|/s|grpc|short', accept).error).toBeUndefined()
    expect(inspectHandshake(`1|1|unix|/s|grpc|${'A'.repeat(60)}`, accept).error).toMatchObject({code: 'HANDSHAKE_SERVER_CERT'})
  })

  it("negotiates as go-plugin: the plugin's highest version the host offers, else its lowest", () => {
    expect(offeredVersions('3, 1,x,2')).toEqual([3, 1, 2])
    expect(negotiateVersion([1, 2, 5], [1, 2, 3])).toBe(2)
    expect(negotiateVersion([4, 5], [1])).toBe(4)
  })
})
