// `probe --json`: passes for go-plugin plugins that conform (ours in TypeScript, and Go's), fails for one that
// does not, with the failing check named.
import {describe, expect, it} from 'vitest'
import {detectGo, goBuild} from '../src/go/toolchain.js'
import {distPath} from '../src/paths.js'
import {runCli} from './support/cli.js'

const tsPlugin = distPath('src', 'hosts', 'grpc-sample-plugin.js')
const go = detectGo()

interface ProbeJson {
  passed: boolean
  checks: Array<{id: string; status: string; detail: string}>
  leftBehind: number[]
}

const statuses = (report: ProbeJson) => Object.fromEntries(report.checks.map((c) => [c.id, c.status]))

describe('probe', () => {
  it('passes the TypeScript sample plugin, check by check', async () => {
    const run = await runCli(['probe', '--json', '--', process.execPath, tsPlugin])
    const report = JSON.parse(run.stdout) as ProbeJson
    expect(statuses(report)).toEqual({
      cookie: 'pass',
      'handshake.core': 'pass',
      'handshake.app': 'pass',
      'handshake.network': 'pass',
      'handshake.address': 'pass',
      'handshake.protocol': 'pass',
      start: 'pass',
      health: 'pass',
      stdio: 'pass',
      broker: 'pass',
      controller: 'pass',
      shutdown: 'pass',
      'left-behind': 'pass',
    })
    expect(report).toMatchObject({passed: true, leftBehind: []})
    expect(run.exitCode).toBe(0)
  })

  it('fails a plugin that offers an app version the host does not, and says which, with the non-conformance exit code 4', async () => {
    const run = await runCli(['probe', '--json', '--protocol-versions', '2,3', '--', process.execPath, tsPlugin])
    const report = JSON.parse(run.stdout) as ProbeJson
    expect(report.passed).toBe(false)
    expect(report.checks.find((c) => c.id === 'handshake.app')).toEqual({
      id: 'handshake.app',
      status: 'fail',
      detail: '1: incompatible API version with plugin. Plugin version: 1, Client versions: [2 3]',
    })
    expect(statuses(report)['left-behind']).toBe('pass')
    expect(run.exitCode).toBe(4)
  })

  it('fails a plugin that prints on stdout before its handshake', async () => {
    const run = await runCli(['probe', '--json', '--', process.execPath, tsPlugin], {PLUGIN_SURVEY_FAULT: 'noise-before-handshake'})
    const report = JSON.parse(run.stdout) as ProbeJson
    expect(report.passed).toBe(false)
    expect(statuses(report)['stdout-before-handshake']).toBe('fail')
    expect(run.exitCode).toBe(4)
  })

  it('rejects a malformed --cookie as a usage error', async () => {
    const run = await runCli(['probe', '--cookie', 'novalue', '--', process.execPath, tsPlugin])
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toContain('--cookie must be KEY=VALUE, got "novalue"')
  })

  it.skipIf(!go.supported)(`passes the Go go-plugin plugin with AutoMTLS${go.supported ? '' : ` (skipped: ${go.reason})`}`, async () => {
    const plugin = await goBuild({pkg: './goplugin/plugin', output: 'goplugin-plugin'})
    const run = await runCli(['probe', '--json', '--mtls', '--', plugin.binary])
    const report = JSON.parse(run.stdout) as ProbeJson
    expect(statuses(report)['handshake.cert']).toBe('pass')
    expect(report.passed).toBe(true)
    expect(run.exitCode).toBe(0)
  }, 300_000)
})
