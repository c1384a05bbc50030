#!/usr/bin/env node
// Does the harness measure truthfully? Compares the in-process row's per-call p50 with a hand-written batched
// loop over the same plugin function, in one process. Run after `npm run build`: `npm run check:harness`.
import {performance} from 'node:perf_hooks'
import {inProcess} from '../dist/src/mechanisms/in-process.js'
import {measureRow} from '../dist/src/measure/bench-row.js'
import {benchSettings} from '../dist/src/measure/settings.js'
import {samplePluginPath} from '../dist/src/paths.js'

const plugin = await import(samplePluginPath)
const loaded = await inProcess.load({})
const inputs = Array.from({length: 1024}, (_, i) => ({number: 7 + i}))

// Median per-call time of `rounds` plain loops of `perRound` calls, timed with nothing but performance.now().
function handWrittenLoop(rounds, perRound, call) {
  const perCall = []
  let last
  for (let r = 0; r < rounds; r++) {
    const started = performance.now()
    for (let i = 0; i < perRound; i++) last = call(inputs[i & 1023])
    perCall.push(((performance.now() - started) * 1e6) / perRound)
  }
  if (!String(last?.message ?? last).startsWith('My custom code prints PluginInputNumber: ')) throw new Error(`wrong answer: ${last}`)
  perCall.sort((a, b) => a - b)
  return perCall[Math.floor(perCall.length / 2)]
}

// The same call the harness times (the mechanism's callSync), and the bare plugin function for reference.
const viaMechanism = () => handWrittenLoop(300, 10_000, loaded.callSync)
const bareFunction = () => handWrittenLoop(300, 10_000, (input) => {
  plugin.PluginInputNumber.value = input.number
  return plugin.KnownPluginFunction()
})
viaMechanism()
bareFunction()
const before = viaMechanism()
const row = await measureRow(inProcess, benchSettings(false, {coldStartSamples: 2, payloadSizes: []}), {})
const after = viaMechanism()
if (row.status !== 'ok') throw new Error(`in-process row ${row.status}: ${row.reason}`)
const loopNs = (before + after) / 2
const differencePct = (100 * (row.call.p50Ns - loopNs)) / loopNs
const round = (x) => Math.round(x * 10) / 10
console.log(JSON.stringify({
  harnessP50Ns: row.call.p50Ns,
  handWrittenLoopNs: round(loopNs),
  differencePct: round(differencePct),
  within15Pct: Math.abs(differencePct) <= 15,
  batch: row.call.batch,
  bareFunctionLoopNs: round(bareFunction()),
}))
process.exit(0)
