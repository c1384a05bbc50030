// The careful host on fake plugins: exact codes, restarts, kills, drains. No real process, no timing asserts.
import {describe, expect, it} from 'vitest'
import {asPluginError, Supervisor, type SupervisorEvent} from '../src/measure/crash/supervisor.js'
import type {Loadable} from '../src/mechanisms/row.js'
import type {LoadedPlugin} from '../src/transport/types.js'
import {expectedMessage, PluginError, type PluginInput, type PluginOutput} from '../src/sample/contract.js'

interface FakePlugin extends LoadedPlugin {
  killed: boolean
  disposed: boolean
  die(error: PluginError): void
}

type Behaviour = (input: PluginInput, generation: number) => Promise<PluginOutput>

const answer: Behaviour = async (input) => ({message: expectedMessage(input.number)})

function fakeMechanism(behaviour: Behaviour, options: {startDelays?: number[]} = {}) {
  const plugins: FakePlugin[] = []
  let loads = 0
  const mechanism: Loadable = {
    takesPluginPath: true,
    async load() {
      const generation = ++loads
      const delay = options.startDelays?.[generation - 1] ?? 0
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay))
      let die: (error: PluginError) => void = () => {}
      const closed = new Promise<Error>((resolve) => (die = resolve))
      const plugin: FakePlugin = {
        killed: false,
        disposed: false,
        pid: 1000 + generation,
        closed,
        die: (error) => die(error),
        call: (input) => behaviour(input, generation),
        ping: async () => {},
        dispose: async () => {
          plugin.disposed = true
        },
        kill: async () => {
          plugin.killed = true
        },
      }
      plugins.push(plugin)
      return plugin
    },
  }
  return {mechanism, plugins}
}

function supervisor(mechanism: Loadable, events: SupervisorEvent[] = [], overrides: {callTimeoutMs?: number; startTimeoutMs?: number} = {}) {
  return new Supervisor(mechanism, {startTimeoutMs: 1000, callTimeoutMs: 200, backoff: {initialMs: 1, maxMs: 5}, onEvent: (e) => events.push(e), ...overrides})
}

describe('Supervisor', () => {
  it('turns a plugin\'s plain throw into PLUGIN_THREW with the original as cause, and keeps the plugin', async () => {
    const thrown = new Error('boom')
    const {mechanism, plugins} = fakeMechanism(async (input) => {
      if (input.number === 13) throw thrown
      return {message: expectedMessage(input.number)}
    })
    const host = supervisor(mechanism)
    const error = await host.call({number: 13}).catch((e: unknown) => e)
    expect(error).toMatchObject({code: 'PLUGIN_THREW', message: 'the plugin threw: boom', cause: thrown})
    expect(await host.call({number: 7})).toEqual({message: expectedMessage(7)})
    expect(plugins).toHaveLength(1)
    expect(host.restarts).toBe(0)
    await host.dispose()
  })

  it('fails a call that does not answer with CALL_TIMEOUT, kills that plugin, and restarts for the next call', async () => {
    const {mechanism, plugins} = fakeMechanism((input, generation) => (generation === 1 && input.number === 13 ? new Promise(() => {}) : answer(input, generation)))
    const events: SupervisorEvent[] = []
    const host = supervisor(mechanism, events)
    await host.start()
    await expect(host.call({number: 13})).rejects.toMatchObject({code: 'CALL_TIMEOUT', message: 'the plugin did not answer within 200 ms'})
    expect(plugins[0].killed).toBe(true)
    expect(await host.call({number: 7})).toEqual({message: expectedMessage(7)})
    expect(plugins).toHaveLength(2)
    expect(host.restarts).toBe(1)
    expect(events.map((e) => e.type)).toEqual(['started', 'killed', 'started'])
    await host.dispose()
  })

  it('notices a plugin that dies between calls and restarts it on the next call', async () => {
    const {mechanism, plugins} = fakeMechanism(answer)
    const events: SupervisorEvent[] = []
    const host = supervisor(mechanism, events)
    await host.start()
    plugins[0].die(new PluginError('PLUGIN_EXITED', 'the plugin process exited with code 1'))
    await new Promise((resolve) => setImmediate(resolve))
    expect(events.at(-1)).toEqual({type: 'died', generation: 1, code: 'PLUGIN_EXITED', message: 'the plugin process exited with code 1'})
    expect(plugins[0].disposed).toBe(true)
    expect(await host.call({number: 8})).toEqual({message: expectedMessage(8)})
    expect(host.generation).toBe(2)
    expect(host.pid).toBe(1002)
    await host.dispose()
  })

  it('fails a start that overruns the start timeout with START_TIMEOUT, and kills the late plugin when it arrives', async () => {
    const {mechanism, plugins} = fakeMechanism(answer, {startDelays: [150]})
    const host = supervisor(mechanism, [], {startTimeoutMs: 50})
    await expect(host.start()).rejects.toMatchObject({code: 'START_TIMEOUT', message: 'the plugin did not start within 50 ms'})
    // The next call starts again (the fake's second start is quick).
    expect(await host.call({number: 9})).toEqual({message: expectedMessage(9)})
    await new Promise((resolve) => setTimeout(resolve, 200))
    const late = plugins.find((p) => p.pid === 1001)
    expect(late?.killed).toBe(true)
    expect(host.restarts).toBe(1)
    await host.dispose()
  })

  it('fails every call in flight on a dead plugin with its code, never leaving one hanging', async () => {
    let dieNow: (error: PluginError) => void = () => {}
    const {mechanism, plugins} = fakeMechanism(() => new Promise((_, reject) => (dieNow = reject)))
    const host = supervisor(mechanism, [], {callTimeoutMs: 0})
    const inFlight = host.call({number: 1})
    await new Promise((resolve) => setImmediate(resolve))
    dieNow(new PluginError('PLUGIN_CRASHED', 'the plugin process was killed by SIGSEGV'))
    await expect(inFlight).rejects.toMatchObject({code: 'PLUGIN_CRASHED'})
    expect(plugins[0].disposed).toBe(true)
    await host.dispose()
  })

  it('reloads without failing a call: calls in flight finish on the old version, new calls go to the new one', async () => {
    const pending: Array<() => void> = []
    const {mechanism, plugins} = fakeMechanism((input, generation) =>
      generation === 1 ? new Promise((resolve) => pending.push(() => resolve({message: expectedMessage(input.number)}))) : answer(input, generation),
    )
    const host = supervisor(mechanism, [], {callTimeoutMs: 0})
    const onOld = host.call({number: 1})
    await new Promise((resolve) => setImmediate(resolve))
    const {generation} = await host.reload({pluginPath: 'version-2.js'})
    expect(generation).toBe(2)
    expect(await host.call({number: 2})).toEqual({message: expectedMessage(2)})
    expect(plugins[0].disposed).toBe(false)
    pending.forEach((finish) => finish())
    expect(await onOld).toEqual({message: expectedMessage(1)})
    await new Promise((resolve) => setImmediate(resolve))
    expect(plugins[0].disposed).toBe(true)
    expect(host.answeredBy()).toEqual(
      new Map([
        [1, 1],
        [2, 1],
      ]),
    )
    await host.dispose()
    await host.dispose()
    expect(plugins[1].disposed).toBe(true)
  })

  it('pings after a failed call and relaunches a plugin that does not answer the ping', async () => {
    const {mechanism, plugins} = fakeMechanism(async (input, generation) => {
      if (generation === 1) throw new PluginError('PLUGIN_ERROR', 'connection refused')
      return {message: expectedMessage(input.number)}
    })
    const host = supervisor(mechanism)
    await host.start()
    plugins[0].ping = async () => {
      throw new PluginError('PLUGIN_EXITED', 'gone')
    }
    await expect(host.call({number: 1})).rejects.toMatchObject({code: 'PLUGIN_ERROR'})
    expect(plugins[0].killed).toBe(true)
    expect(await host.call({number: 2})).toEqual({message: expectedMessage(2)})
    expect(host.restarts).toBe(1)
    await host.dispose()
  })

  it('does not report a plugin it disposed itself as died', async () => {
    const {mechanism, plugins} = fakeMechanism(answer)
    const events: SupervisorEvent[] = []
    const host = supervisor(mechanism, events)
    await host.start()
    // A real plugin's process or thread ends when disposed, which settles `closed`.
    const dispose = plugins[0].dispose
    plugins[0].dispose = async () => {
      await dispose()
      plugins[0].die(new PluginError('PLUGIN_EXITED', 'the plugin process exited with code 0'))
    }
    await host.dispose()
    await new Promise((resolve) => setImmediate(resolve))
    expect(events.map((e) => e.type)).toEqual(['started'])
  })

  it('gives every error a code', () => {
    expect(asPluginError(new PluginError('CALL_TIMEOUT', 'x')).code).toBe('CALL_TIMEOUT')
    expect(asPluginError('a string').message).toBe('the plugin threw: a string')
  })
})
