// A measuring host process for Node-hosted rows: it loads a row and its floors side by side and answers `bench`'s
// requests (rounds-protocol.ts) until stdin closes, so a row and its floor are timed in the same process, in
// alternating rounds, in the same machine state. A fresh runner per row keeps memory and JIT state fair, and a
// plugin that kills its host kills only this process.
import {createInterface} from 'node:readline'
import {performance} from 'node:perf_hooks'
import {isBuildable, isLoadable, isStartOnly, type Loadable, type Row} from '../mechanisms/row.js'
import {checkAnswer, PluginError, codedError} from '../sample/contract.js'
import type {LoadedPlugin, LoadOptions} from '../transport/types.js'
import {measureLoad} from './memory.js'
import {RoundTimer} from './round-timer.js'
import {ROUNDS_PREFIX, type RoundsRequest} from './rounds-protocol.js'
import {importRow} from './scale/row-file.js'

const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions
const loaded = new Map<string, {plugin: LoadedPlugin; timer: RoundTimer}>()
const FIRST_INPUT = {number: 7}

// Each row from its own file: a runner starts without every other row's dependencies.
async function row(id: string): Promise<Row> {
  const found = await importRow(id)
  if (!found) throw new PluginError('UNKNOWN_ROW', `unknown row ${id}`)
  return found
}

function loadable(row: Row): Row & Loadable {
  if (!isLoadable(row)) throw new PluginError('NOT_LOADABLE', `${row.id} has no plugin this process can load`)
  return row
}

// A user's plugin goes only to the rows that can load one.
const optionsFor = (row: Row): LoadOptions => (isLoadable(row) && row.takesPluginPath ? options : {...options, pluginPath: undefined})

// One cold start: a start-only row (floor-spawn) up to its end; any other row from nothing to its first correct answer.
async function coldSample(mechanism: Row): Promise<number> {
  const started = performance.now()
  if (isStartOnly(mechanism)) {
    await mechanism.startOnce()
    return performance.now() - started
  }
  const plugin = await loadable(mechanism).load({...optionsFor(mechanism), fresh: true})
  try {
    checkAnswer(FIRST_INPUT, await plugin.call(FIRST_INPUT))
    return performance.now() - started
  } finally {
    await plugin.dispose()
  }
}

async function answer(request: RoundsRequest): Promise<unknown> {
  const mechanism = await row(request.row)
  switch (request.op) {
    case 'prepare':
      return isBuildable(mechanism) ? mechanism.build(optionsFor(mechanism)) : {}
    case 'cold':
      return {ms: await coldSample(mechanism)}
    case 'load': {
      if (loaded.has(mechanism.id)) return {ready: true}
      const {loaded: plugin, rssBytes} = await measureLoad(async () => {
        const plugin = await loadable(mechanism).load(optionsFor(mechanism))
        checkAnswer(FIRST_INPUT, await plugin.call(FIRST_INPUT))
        return plugin
      })
      loaded.set(mechanism.id, {plugin, timer: new RoundTimer(plugin)})
      return {ready: true, rssBytes}
    }
    case 'round': {
      const entry = loaded.get(mechanism.id)
      if (!entry) throw Object.assign(new Error(`${mechanism.id} is not loaded: send a load request first`), {code: 'NOT_LOADED'})
      return entry.timer.round(request.ms, request.payloadBytes)
    }
  }
}

const reply = (value: unknown) => process.stdout.write(`\n${ROUNDS_PREFIX}${JSON.stringify(value)}\n`)

// One request at a time, in order: a round must never overlap another.
let queue = Promise.resolve()
createInterface({input: process.stdin}).on('line', (line) => {
  queue = queue.then(async () => {
    try {
      reply(await answer(JSON.parse(line) as RoundsRequest))
    } catch (error) {
      reply({error: codedError(error, 'PLUGIN_ERROR')})
    }
  })
}).on('close', () => {
  // Plugins may leave handles open (a worker, a socket): dispose what is loaded, then leave without waiting for them.
  void queue.then(async () => {
    await Promise.allSettled([...loaded.values()].map((entry) => entry.plugin.dispose()))
    process.exit(0)
  })
})
