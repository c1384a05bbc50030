// A throwaway Node host that runs one scale step of one row (a fresh process per step, so every N starts from
// the same host alone). It speaks the protocol of host-run.ts: memory checkpoints on stdout, each answered by
// a line on stdin once the CLI has measured this process's tree; the outcome as the last stdout line.
import {createInterface} from 'node:readline'
import {isBuildable, isLoadable, type Loadable, type Row} from '../../mechanisms/row.js'
import type {LoadOptions} from '../../transport/types.js'
import {SCALE_EVENT_PREFIX} from './host-run.js'
import {importRow} from './row-file.js'
import {callsStep, instancesStep, stepError, type MemoryLabel, type ScaleStep, type StepOutcome} from './steps.js'

const job = JSON.parse(process.argv[2] ?? '{}') as {id: string; step: ScaleStep; options: LoadOptions}
const found = await importRow(job.id)
if (found === undefined || !isLoadable(found)) {
  process.stderr.write(`no row ${job.id} whose plugin this host can load\n`)
  process.exit(2)
}
const mechanism: Row & Loadable = found

const acks = createInterface({input: process.stdin})[Symbol.asyncIterator]()
async function checkpoint(label: MemoryLabel): Promise<void> {
  process.stdout.write(`${SCALE_EVENT_PREFIX}${JSON.stringify({event: 'memory', label})}\n`)
  await acks.next()
}

async function run(step: ScaleStep): Promise<StepOutcome> {
  try {
    if (isBuildable(mechanism)) await mechanism.build(job.options)
    return step.step === 'instances' ? await instancesStep(mechanism, step.n, job.options, checkpoint) : await callsStep(mechanism, step, job.options)
  } catch (error) {
    return {step: 'failed', error: stepError(error)}
  }
}

const outcome = await run(job.step)
// Plugins may leave handles open (a worker, a socket): once the outcome is out (a pipe is written
// asynchronously, and the timings can be megabytes), leave without waiting for them.
process.stdout.write(`\n${JSON.stringify(outcome)}\n`, () => process.exit(0))
