// The processes bench starts end with it: a row that fails while a later row is to be compared with it (as
// go-pie fails, now and then, and ts-host-pie is compared with it) must not leave its host running, which kept
// the tool from exiting after it had written its report.
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, expect, it} from 'vitest'
import {runBench} from '../src/measure/bench.js'
import {ROUNDS_PREFIX} from '../src/measure/rounds-protocol.js'
import {benchSettings} from '../src/measure/settings.js'
import {EVERYWHERE, type MeasuredByOwnHost, type Row} from '../src/mechanisms/row.js'

const dir = mkdtempSync(path.join(os.tmpdir(), 'ps-bench-processes-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

// A host in the rounds protocol that starts and loads fine, then fails every round, and lives until its stdin ends.
const host = path.join(dir, 'failing-host.mjs')
writeFileSync(
  host,
  `import {appendFileSync} from 'node:fs'
import {createInterface} from 'node:readline'
appendFileSync(process.argv[2], process.pid + '\\n')
const reply = (value) => process.stdout.write(${JSON.stringify(ROUNDS_PREFIX)} + JSON.stringify(value) + '\\n')
createInterface({input: process.stdin}).on('line', (line) => {
  const {op} = JSON.parse(line)
  if (op === 'cold') reply({ms: 1})
  else if (op === 'load') reply({ready: true})
  else reply({error: {code: 'WRONG_ANSWER', message: 'a wrong answer, on purpose'}})
})
`,
)

const pids = path.join(dir, 'pids')
const failingRow = (id: string, versus?: string[]): Row & MeasuredByOwnHost => ({
  id,
  family: 'node',
  title: 'a host that fails its rounds',
  runs: {where: 'other-process', host: 'typescript', plugin: 'typescript'},
  platforms: {support: EVERYWHERE, sources: []},
  versus,
  detect: async () => ({supported: true}),
  benchHost: async () => ({command: {file: process.execPath, args: [host, pids]}, build: {buildMs: 0, cached: true}}),
})

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

it('ends the host of a row that failed while a later row was to be compared with it', async () => {
  const settings = benchSettings(true, {coldStartSamples: 1, rounds: 2, roundMs: 5, payloadSizes: [], extraRoundsMs: 0})
  const rows = await runBench([failingRow('first'), failingRow('second', ['first'])], settings, {})
  expect(rows.map((row) => [row.mechanism, row.status])).toEqual([
    ['first', 'failed'],
    ['second', 'failed'],
  ])
  const started = readFileSync(pids, 'utf8').trim().split('\n').map(Number)
  expect(started).toHaveLength(2)
  try {
    // runBench waits for the processes it closes: none is left.
    expect(started.filter(alive)).toEqual([])
  } finally {
    for (const pid of started.filter(alive)) process.kill(pid, 'SIGKILL')
  }
})
