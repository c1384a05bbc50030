import {describe, expect, it} from 'vitest'
import type {LoadedPlugin} from '../src/transport/types.js'
import {RoundTimer} from '../src/measure/round-timer.js'
import {expectedMessage, type PluginInput, type PluginOutput} from '../src/sample/contract.js'

/** A plugin answering like the sample, except call number `wrongAt` (counting from 1). */
function fakePlugin(options: {wrongAt?: number; async?: boolean; delayMs?: number; count?: {calls: number}} = {}): LoadedPlugin {
  let calls = 0
  const answer = (input: PluginInput): PluginOutput => {
    calls++
    if (options.count) options.count.calls = calls
    const message = calls === options.wrongAt ? 'wrong' : expectedMessage(input.number)
    return input.payload === undefined ? {message} : {message, payload: input.payload}
  }
  const call = async (input: PluginInput) => {
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs))
    return answer(input)
  }
  return {call, ...(options.async ? {} : {callSync: answer}), ping: async () => {}, dispose: async () => {}}
}

describe('the round timer', () => {
  it('batches a plain function call and says so', async () => {
    const round = await new RoundTimer(fakePlugin()).round(5)
    expect(round.batch).toBeGreaterThan(1)
    expect(round.count).toBeGreaterThanOrEqual(8)
    expect(round.histogram.count).toBe(round.count)
  })

  it('times a call above 1 µs alone', async () => {
    const round = await new RoundTimer(fakePlugin({delayMs: 1, async: true})).round(5)
    expect(round.batch).toBe(1)
    expect(round.medianNs).toBeGreaterThan(500_000)
  })

  it('checks every answer of a batch, not only the last', async () => {
    // Call 1 is the sync check; then batches (100 calls each while calibrating, then the timed size): call 30 050 is
    // in the middle of one, never its last.
    const timer = new RoundTimer(fakePlugin({wrongAt: 30_050}))
    await expect(timer.round(50)).rejects.toMatchObject({code: 'WRONG_ANSWER'})
  })

  it('checks echoed payloads on the same path', async () => {
    const round = await new RoundTimer(fakePlugin()).round(2, 1024)
    expect(round.batch).toBeGreaterThan(1)
  })

  it('times a payload of a call timed alone alone too, after one call that warms its path', async () => {
    const count = {calls: 0}
    const timer = new RoundTimer(fakePlugin({delayMs: 2, async: true, count}))
    const plain = await timer.round(5)
    const before = count.calls
    const withPayload = await timer.round(1, 1024)
    expect([plain.batch, withPayload.batch]).toEqual([1, 1])
    // One call warming the payload's path, the round's warm-up (one call: a sample takes 2 ms), then the round's
    // 8 samples (each above 1 ms, so 1 ms of round time holds no more).
    expect(count.calls - before).toBe(1 + 1 + withPayload.count)
    expect(withPayload.count).toBe(8)
  })

  it('opens each round with three untimed samples of fast calls, every answer checked', async () => {
    const count = {calls: 0}
    const timer = new RoundTimer(fakePlugin({count}))
    await timer.round(1)
    const before = count.calls
    const round = await timer.round(1)
    expect(round.batch).toBeGreaterThan(1)
    expect(count.calls - before).toBe((3 + round.count) * round.batch)
    // A wrong answer in the warm-up fails the round as any other would.
    let wrongNext = false
    const answer = (input: PluginInput): PluginOutput => ({message: wrongNext ? 'wrong' : expectedMessage(input.number)})
    const flaky = new RoundTimer({call: async (input) => answer(input), callSync: answer, ping: async () => {}, dispose: async () => {}})
    await flaky.round(1)
    wrongNext = true
    await expect(flaky.round(1)).rejects.toMatchObject({code: 'WRONG_ANSWER'})
  })

  it('awaits a plugin whose callSync hands back a pending answer (an async plugin)', async () => {
    let calls = 0
    const plugin: LoadedPlugin = {
      callSync: (input) => ({message: Promise.resolve(expectedMessage(input.number)) as unknown as string}),
      call: async (input) => {
        calls++
        return {message: expectedMessage(input.number)}
      },
      ping: async () => {},
      dispose: async () => {},
    }
    await new RoundTimer(plugin).round(2)
    expect(calls).toBeGreaterThan(0)
  })
})
