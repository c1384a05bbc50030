// go-plugin's own behaviour, measured with its Go host and plugin (fixtures/go/goplugin/survey, docplugin): version
// negotiation (and the TypeScript host against the same plugin), hot reload with go-plugin's public API, orphans
// with and without a parent watch, logging, terminals, the oom and segfault faults, and what a changed plugin needs
// rebuilt. Skipped, with the reason, without Go.
import {describe, expect, it} from 'vitest'
import {changeAnswer, CHANGED_SUFFIX, demonstrateRebuilds} from '../src/go/rebuild.js'
import {hotReloadWithGoHost, loggingThroughGoHost, negotiateWithGoHost, terminalsThroughGoHost} from '../src/go/goplugin-survey.js'
import {detectGo} from '../src/go/toolchain.js'
import {holdAndKill} from '../src/measure/crash/go-plugin-orphans.js'
import {canCountOrphans} from '../src/measure/crash/orphans.js'
import {DEFAULT_CRASH_SETTINGS} from '../src/measure/crash/settings.js'
import {negotiateWithTsHost} from '../src/measure/version-negotiation.js'
import {goHashicorp} from '../src/mechanisms/go-hashicorp.js'
import {goStdlibPlugin} from '../src/mechanisms/go-stdlib-plugin.js'
import {expectedMessage} from '../src/sample/contract.js'

const go = detectGo()
const noGo = go.supported ? '' : ` (skipped: ${go.reason})`
const unix = process.platform === 'linux' || process.platform === 'freebsd'
// go-plugin's client lists the versions it offers from a map: their order in its message is not fixed.
const refusedThree = /^incompatible API version with plugin\. Plugin version: 3, Client versions: \[(1 2|2 1)\]$/

describe('changeAnswer', () => {
  it('appends the suffix to the first sample.Message call, nested calls included', () => {
    expect(changeAnswer('return sample.Message(int(number)), payload, nil', 'x.go')).toBe(`return (sample.Message(int(number)) + ${JSON.stringify(CHANGED_SUFFIX)}), payload, nil`)
  })

  it('fails with a code when the source has no such call', () => {
    expect(() => changeAnswer('return "hello"', 'x.go')).toThrow(expect.objectContaining({code: 'REBUILD_SOURCE'}))
  })
})

describe.skipIf(!go.supported)(`go-plugin's own host and plugin${noGo}`, () => {
  it('negotiates app versions as go-plugin does: 1 with a plugin serving 1, 2 with one serving 1 and 2, and refuses 3 with its own message', async () => {
    const {offered, cases} = await negotiateWithGoHost()
    expect(offered).toEqual([1, 2])
    expect(cases.map((c) => c.serves)).toEqual([[1], [1, 2], [3]])
    expect(cases[0]).toMatchObject({negotiated: 1, servedBy: {appVersion: 1, build: '1'}})
    expect(cases[1]).toMatchObject({negotiated: 2, servedBy: {appVersion: 2, build: '1'}})
    expect(cases[2].negotiated).toBeUndefined()
    expect(cases[2].error?.message).toMatch(refusedThree)
  })

  it('the TypeScript host negotiates the same with the same plugin, and refuses 3 with HANDSHAKE_APP_VERSION', async () => {
    const {cases} = await negotiateWithTsHost()
    expect(cases[0]).toMatchObject({negotiated: 1, servedBy: {appVersion: 1}})
    expect(cases[1]).toMatchObject({negotiated: 2, servedBy: {appVersion: 2}})
    expect(cases[2].error).toEqual({code: 'HANDSHAKE_APP_VERSION', message: 'incompatible API version with plugin. Plugin version: 3, Client versions: [1 2]'})
  })

  it('hot-reloads with a new Client then Kill of the old: calls answered by build 1, then by build 2', async () => {
    const reload = await hotReloadWithGoHost({streams: 2, beforeMs: 300, afterMs: 300})
    expect(reload).toMatchObject({oldBuild: '1', newBuild: '2', oldProcessExited: true})
    expect(reload.answeredByOld).toBeGreaterThan(0)
    expect(reload.answeredByNew).toBeGreaterThan(0)
    expect(reload.calls).toBe(reload.answeredByOld + reload.answeredByNew + reload.failedCalls)
    expect(reload.newPid).not.toBe(reload.oldPid)
  })

  it.skipIf(!canCountOrphans)('leaves the docs plugin running after its host is SIGKILLed; the parent watch ends the others', async () => {
    const settings = DEFAULT_CRASH_SETTINGS
    const [goDocs, goWatch, tsOff, tsWatch] = await Promise.all([
      holdAndKill({mechanism: 'go-hashicorp', parentWatch: false}, settings),
      holdAndKill({mechanism: 'go-hashicorp', parentWatch: true}, settings),
      holdAndKill({mechanism: 'go-host-ts-plugin', parentWatch: false}, settings),
      holdAndKill({mechanism: 'go-host-ts-plugin', parentWatch: true}, settings),
    ])
    expect(goDocs).toMatchObject({ran: true, pluginProcesses: 1, orphans: 1})
    expect(goWatch).toMatchObject({ran: true, pluginProcesses: 1, orphans: 0})
    expect(tsOff).toMatchObject({ran: true, pluginProcesses: 1, orphans: 1})
    expect(tsWatch).toMatchObject({ran: true, pluginProcesses: 1, orphans: 0})
  })

  it("re-logs the plugin's hclog WARN line at WARN in the host's logger, named after the plugin's executable", async () => {
    expect(await loggingThroughGoHost()).toEqual({
      pluginName: 'goplugin-docplugin',
      hostLogger: 'host',
      found: true,
      level: 'warn',
      module: 'host.goplugin-docplugin',
      message: 'plugin-survey: a warning from the plugin',
    })
  })

  it('under a pseudo-terminal, hands the plugin the terminal on stdin only: its stdout and stderr are pipes', async () => {
    const terminals = await terminalsThroughGoHost()
    if (!terminals.ran) return expect(terminals.reason).toMatch(/pseudo-terminal/)
    expect(terminals.host).toEqual({stdin: true, stdout: true, stderr: true})
    expect(terminals.plugin).toEqual({stdin: true, stdout: false, stderr: false})
  })

  it.skipIf(!unix)('oom: the Go plugin caps its own address space, dies of memory, and the go-plugin host lives and restarts it', async () => {
    const outcome = await goHashicorp.probe('oom', {memoryLimitMb: 64})
    if (!outcome.hostSurvived) throw new Error(`the host died: ${outcome.stderrHead}`)
    expect(outcome.verdict.error?.code).toBe('PLUGIN_OOM')
    expect(outcome.verdict.error?.message).toMatch(/exit status 2\): fatal error: .*out of memory/)
    expect(outcome.verdict.next?.answer).toBe(expectedMessage(7))
  })

  it('segfault: a write through a wild pointer crashes the Go plugin, not the go-plugin host', async () => {
    const outcome = await goHashicorp.probe('segfault')
    if (!outcome.hostSurvived) throw new Error(`the host died: ${outcome.stderrHead}`)
    expect(outcome.verdict.error).toMatchObject({code: 'PLUGIN_CRASHED', message: expect.stringContaining('unexpected fault address 0xdead0000')})
    expect(outcome.verdict.next?.answer).toBe(expectedMessage(7))
  })

  it.skipIf(!unix)('oom in a stdlib plugin ends its host: the cap is on the process the plugin runs in', async () => {
    const support = await goStdlibPlugin.detect()
    if (!support.supported) return
    const outcome = await goStdlibPlugin.probe('oom', {memoryLimitMb: 64})
    expect(outcome).toMatchObject({hostSurvived: false, exitCode: 2})
    expect(outcome.stderrHead).toMatch(/fatal error: .*out of memory/)
  })

  it('a changed plugin needs the compiled-in host rebuilt; the stdlib-plugin and go-plugin hosts load it unchanged', async () => {
    const stdlib = (await goStdlibPlugin.detect()).supported
    const cases = await demonstrateRebuilds({stdlib})
    const [compiledIn, ...loaders] = cases
    expect(compiledIn).toMatchObject({mechanism: 'go-compiled-in', rebuilt: 'host', answerBefore: expectedMessage(7), answerAfter: expectedMessage(7), rebuiltHostAnswer: expectedMessage(7) + CHANGED_SUFFIX})
    expect(compiledIn.hostHashAfter).not.toBe(compiledIn.hostHashBefore)
    expect(loaders.map((c) => c.mechanism)).toEqual(stdlib ? ['go-stdlib-plugin', 'go-hashicorp'] : ['go-hashicorp'])
    for (const loader of loaders) {
      expect(loader).toMatchObject({rebuilt: 'plugin', answerBefore: expectedMessage(7), answerAfter: expectedMessage(7) + CHANGED_SUFFIX})
      expect(loader.hostHashAfter).toBe(loader.hostHashBefore)
    }
  }, 240_000)
})
