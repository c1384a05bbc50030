// A throwaway host process that measures one row and prints it as JSON on stdout, so each row starts from a
// clean process (fair memory and JIT state) and a plugin that kills its host kills only this process.
import {findRow} from '../mechanisms/index.js'
import type {LoadOptions} from '../transport/types.js'
import {measureRow} from './bench-row.js'
import type {BenchSettings} from './settings.js'

export const PROGRESS_PREFIX = '@@progress '

const job = JSON.parse(process.argv[2] ?? '{}') as {id: string; settings: BenchSettings; options: LoadOptions}
const mechanism = findRow(job.id)
if (mechanism === undefined) {
  process.stderr.write(`unknown row ${job.id}\n`)
  process.exit(2)
}
const row = await measureRow(mechanism, job.settings, job.options, (message) => process.stderr.write(`${PROGRESS_PREFIX}${message}\n`))
process.stdout.write(`${JSON.stringify(row)}\n`)
// Plugins may leave handles open (a worker, a socket): the row is written, so leave without waiting for them.
process.exit(0)
