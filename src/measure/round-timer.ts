// Times one loaded plugin's calls in short rounds, as the Go harness does (fixtures/go/internal/harness/rounds.go):
// calls above 1 µs one by one, faster ones in batches of ~20 µs; every answer checked after the clock stops, so the
// check costs nothing timed and no answer of a batch goes unchecked. Payload rounds take the same path as calls.
import {performance} from 'node:perf_hooks'
import type {LoadedPlugin} from '../transport/types.js'
import {checkAnswer, expectedMessage, isPending, settleOutput, type PluginInput, type PluginOutput} from '../sample/contract.js'
import type {RoundResult} from './rounds-protocol.js'
import {LogHistogram} from './histogram.js'
import {median, round} from './stats.js'

const BATCH_BELOW_NS = 1000
const BATCH_TARGET_NS = 20_000
const MIN_ROUND_SAMPLES = 8
/**
 * Each round opens with samples' worth of calls that are not timed (their answers are checked): three, or one
 * when a sample takes a millisecond or more (as calibrated). A round follows its comparand's, and its first calls
 * find the caches and cores the other process used: in child-grpc's 8 ms rounds here the first call took 1.3x
 * to 1.9x the steady ones and the next two up to 1.3x. That switch is the measurement's, not the mechanism's.
 */
const ROUND_WARMUP_SAMPLES = 3
const SLOW_SAMPLE_NS = 1e6
/** Each of the two phases that pick a batch size (a warm one, then a timed one) takes up to this long (and 3 chunks at least). */
const CALIBRATION_PHASE_MS = 5
const INPUT_COUNT = 1024

// Inputs and answers made up front so the timed loop allocates nothing; the rotating number keeps answers honest.
const NUMBERS = Array.from({length: INPUT_COUNT}, (_, i) => 7 + i)
const EXPECTED = NUMBERS.map(expectedMessage)

type Call = (input: PluginInput) => PluginOutput | Promise<PluginOutput>

export class RoundTimer {
  // Per payload size: how many calls a sample holds, and about how long one sample takes.
  private readonly batches = new Map<number, {batch: number; sampleNs: number}>()
  private readonly inputs = new Map<number, PluginInput[]>()
  private outputs: (PluginOutput | undefined)[] = []
  private next = 0
  private sync?: boolean

  constructor(private readonly plugin: LoadedPlugin) {}

  // A callSync that hands back a promise belongs to an async plugin: such a plugin is timed through call().
  private async isSync(): Promise<boolean> {
    if (this.sync !== undefined) return this.sync
    const {callSync} = this.plugin
    if (!callSync) return (this.sync = false)
    const input = this.inputsFor(0)[0]!
    const output = callSync(input)
    checkAnswer(input, isPending(output) ? await settleOutput(output) : output)
    return (this.sync = !isPending(output))
  }

  private inputsFor(payloadBytes: number): PluginInput[] {
    let inputs = this.inputs.get(payloadBytes)
    if (!inputs) {
      const payload = payloadBytes > 0 ? 'x'.repeat(payloadBytes) : undefined
      inputs = NUMBERS.map((number) => (payload === undefined ? {number} : {number, payload}))
      this.inputs.set(payloadBytes, inputs)
    }
    return inputs
  }

  /** Makes `batch` calls and returns their duration in ns; then checks every answer. */
  private async timed(batch: number, inputs: PluginInput[]): Promise<number> {
    if (this.outputs.length < batch) this.outputs = new Array(batch)
    const outputs = this.outputs
    const first = this.next
    let elapsed: number
    if (this.sync) {
      const callSync = this.plugin.callSync!
      const started = performance.now()
      for (let b = 0; b < batch; b++) outputs[b] = callSync(inputs[(first + b) & (INPUT_COUNT - 1)]!)
      elapsed = performance.now() - started
    } else {
      const call: Call = this.plugin.call
      const started = performance.now()
      for (let b = 0; b < batch; b++) outputs[b] = await call(inputs[(first + b) & (INPUT_COUNT - 1)]!)
      elapsed = performance.now() - started
    }
    this.next += batch
    for (let b = 0; b < batch; b++) {
      const index = (first + b) & (INPUT_COUNT - 1)
      const output = outputs[b]!
      const input = inputs[index]!
      if (output.message !== EXPECTED[index] || output.payload !== input.payload) checkAnswer(input, output)
      outputs[b] = undefined
    }
    return elapsed * 1e6
  }

  // Warm-up calls, then timed ones, each phase up to `calls` or CALIBRATION_PHASE_MS: how many calls one sample should hold.
  private async batchFor(payloadBytes: number, inputs: PluginInput[]): Promise<{batch: number; sampleNs: number}> {
    const known = this.batches.get(payloadBytes)
    if (known !== undefined) return known
    // A call timed one by one without a payload is timed one by one with one (a payload only adds work): one call
    // warms the payload's path instead of two phases of calibration, which at 1 MiB over a socket cost 100 ms or more.
    if (payloadBytes > 0 && this.batches.get(0)?.batch === 1) {
      const found = {batch: 1, sampleNs: await this.timed(1, inputs)}
      this.batches.set(payloadBytes, found)
      return found
    }
    const calls = this.sync ? 20_000 : 100
    // Chunks of 100 calls for sync calls that are fast; one call at a time for any call that is not (a 1 MiB
    // payload copied into wasm memory takes most of a millisecond, and 600 of them seconds).
    const chunk = this.sync && (await this.timed(1, inputs)) < 10 * BATCH_BELOW_NS ? 100 : 1
    let perCallNs = 0
    for (let phase = 0; phase < 2; phase++) {
      const started = performance.now()
      const perCall: number[] = []
      // The median chunk: a chunk the scheduler preempted would make a mean, and the batch, far off.
      while (perCall.length * chunk < calls && (perCall.length < 3 || performance.now() - started < CALIBRATION_PHASE_MS)) perCall.push((await this.timed(chunk, inputs)) / chunk)
      perCallNs = median(perCall)
    }
    const batch = perCallNs < BATCH_BELOW_NS ? Math.max(1, Math.min(100_000, Math.round(BATCH_TARGET_NS / Math.max(perCallNs, 1)))) : 1
    const found = {batch, sampleNs: perCallNs * batch}
    this.batches.set(payloadBytes, found)
    return found
  }

  /** A warm-up of a few untimed samples, then calls timed for at least `ms` and at least 8 samples. */
  async round(ms: number, payloadBytes = 0): Promise<RoundResult> {
    await this.isSync()
    const inputs = this.inputsFor(payloadBytes)
    const {batch, sampleNs} = await this.batchFor(payloadBytes, inputs)
    for (let w = sampleNs < SLOW_SAMPLE_NS ? ROUND_WARMUP_SAMPLES : 1; w > 0; w--) await this.timed(batch, inputs)
    const histogram = new LogHistogram()
    const samples: number[] = []
    const deadline = performance.now() + ms
    while (samples.length < MIN_ROUND_SAMPLES || performance.now() < deadline) {
      const perCall = (await this.timed(batch, inputs)) / batch
      samples.push(perCall)
      histogram.record(perCall)
    }
    return {count: samples.length, batch, medianNs: round(median(samples), 1), meanNs: round(histogram.meanNs, 1), histogram: histogram.toJSON()}
  }
}
