// Runs one scale step in a throwaway host (the Node scale host, or a Go host's harness) and measures that
// host's process tree whenever it asks: the same code measures the memory of every row, from outside.
//
// The protocol: the host prints `@@scale {"event":"memory","label":"baseline"|"loaded"}` on a line of its own
// and waits for one line on its stdin, which comes once its tree was measured; its last stdout line is the
// step's outcome as JSON (steps.ts). Anything else it prints is ignored.
import {StderrBuffer} from '../../transport/stderr-buffer.js'
import {describeEnd} from '../../transport/process-end.js'
import {spawn} from 'node:child_process'
import {createInterface} from 'node:readline'
import type {HostCommand} from '../../transport/types.js'
import type {TreeMemory} from '../../results/scale.js'
import {processTreeMemory} from './process-tree.js'
import type {MemoryLabel, StepOutcome} from './steps.js'

export const SCALE_EVENT_PREFIX = '@@scale '


export type HostRun =
  | {ran: true; outcome: StepOutcome; memory: Partial<Record<MemoryLabel, TreeMemory>>}
  | {ran: false; errorCode: 'HOST_DIED' | 'BENCH_TIMEOUT' | 'SPAWN_FAILED'; reason: string}

/** Runs `command` to the end (or kills it at `deadlineMs`), answering its memory checkpoints with `measure`. */
export function runScaleHost(command: HostCommand, deadlineMs: number, measure: (pid: number) => TreeMemory = processTreeMemory): Promise<HostRun> {
  return new Promise((resolve) => {
    const child = spawn(command.file, command.args, {env: {...process.env, ...command.env}, stdio: ['pipe', 'pipe', 'pipe']})
    const memory: Partial<Record<MemoryLabel, TreeMemory>> = {}
    let last = ''
    const stderr = new StderrBuffer()
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, deadlineMs)
    child.stdin.on('error', () => {})
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (chunk: string) => stderr.push(chunk))
    const lines = createInterface({input: child.stdout})
    // A plugin process left holding the host's pipes must not keep the step waiting once the host has exited.
    const stdoutDone = new Promise<void>((done) => lines.once('close', done))
    lines.on('line', (line) => {
      if (line.startsWith(SCALE_EVENT_PREFIX)) {
        const event = JSON.parse(line.slice(SCALE_EVENT_PREFIX.length)) as {event: string; label: MemoryLabel}
        if (event.event === 'memory') {
          memory[event.label] = child.pid === undefined ? {measured: false, reason: 'the host has no pid'} : measure(child.pid)
          child.stdin.write('\n')
        }
      } else if (line.startsWith('{')) last = line
    })
    child.once('error', (error) => {
      clearTimeout(timer)
      resolve({ran: false, errorCode: 'SPAWN_FAILED', reason: `cannot start ${command.file}: ${error.message}`})
    })
    child.once('exit', async (code, signal) => {
      clearTimeout(timer)
      await Promise.race([stdoutDone, new Promise((done) => setTimeout(done, 500))])
      if (!timedOut && code === 0 && last !== '') {
        resolve({ran: true, outcome: JSON.parse(last) as StepOutcome, memory})
        return
      }
      const how = timedOut ? `did not finish within ${Math.round(deadlineMs / 1000)} s and was killed` : describeEnd({exitCode: code, signal})
      const tail = stderr.lastLines(4)
      resolve({ran: false, errorCode: timedOut ? 'BENCH_TIMEOUT' : 'HOST_DIED', reason: `the scale host ${how}${tail ? `: ${tail}` : ''}`})
    })
  })
}
