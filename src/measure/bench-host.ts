// Bench of a row measured by a host of its own (the Go rows): the host runs with the bench flags of
// fixtures/go/internal/harness and prints its figures as one JSON line, which becomes the row.
import {execa} from 'execa'
import type {MeasuredByOwnHost, Row} from '../mechanisms/row.js'
import type {BenchRow, BenchRowOk} from '../report/types.js'
import type {LoadOptions} from '../transport/types.js'
import {benchBase, rowDeadlineMs, type BenchSettings} from './settings.js'

type HarnessResult = Pick<BenchRowOk, 'coldStart' | 'call' | 'payload' | 'rssBytes' | 'notes'> & {error?: {code: string; message: string}}

export function harnessArgs(settings: BenchSettings): string[] {
  return [
    `-cold=${settings.coldStartSamples}`,
    `-call-ms=${settings.callTimeMs}`,
    `-payload-ms=${settings.payloadTimeMs}`,
    `-payload-sizes=${settings.payloadSizes.join(',')}`,
  ]
}

/** Builds the row's host (or finds it cached), runs it with the bench flags, and returns its figures as the row. */
export async function benchOnOwnHost(row: Row & MeasuredByOwnHost, settings: BenchSettings, options: LoadOptions, progress: (message: string) => void = () => {}): Promise<BenchRow> {
  const base = benchBase(row)
  progress('build (reused when its sources and toolchain are unchanged)')
  const {command, build} = await row.benchHost(options)
  progress(build.cached ? 'measuring (build cached)' : `measuring (built in ${(build.buildMs / 1000).toFixed(1)} s)`)
  const deadlineMs = rowDeadlineMs(settings)
  const run = await execa(command.file, [...harnessArgs(settings), ...command.args], {env: command.env ?? {}, reject: false, timeout: deadlineMs, killSignal: 'SIGKILL', stdin: 'ignore'})
  const last = String(run.stdout).trim().split('\n').pop() ?? ''
  if (run.exitCode !== 0 || !last.startsWith('{')) {
    const how = run.timedOut ? `did not finish within ${deadlineMs / 1000} s` : run.signal ? `was killed by ${run.signal}` : `exited with code ${run.exitCode}`
    const tail = String(run.stderr).trim().split('\n').slice(-4).join(' | ')
    return {...base, status: 'failed', reason: `the Go harness ${how}${tail ? `: ${tail}` : ''}`, errorCode: run.timedOut ? 'BENCH_TIMEOUT' : 'HOST_DIED'}
  }
  const result = JSON.parse(last) as HarnessResult
  if (result.error) return {...base, status: 'failed', reason: result.error.message, errorCode: result.error.code}
  return {
    ...base,
    status: 'ok',
    coldStart: result.coldStart,
    call: result.call,
    payload: result.payload,
    rssBytes: result.rssBytes,
    coldStartFloor: row.floors?.coldStart,
    buildMs: build.buildMs,
    buildCached: build.cached,
    notes: result.notes,
  }
}
