// The `bench` side of rounds-protocol.ts: a measuring process kept warm for as many requests as the run needs
// (the Node runner, or a Go host in its -rounds mode). A process that dies fails its pending request with how it
// ended and the tail of its stderr; progress lines from the runner go to `onProgress`.
import {StderrBuffer} from '../transport/stderr-buffer.js'
import {describeEnd} from '../transport/process-end.js'
import {spawn, type ChildProcess} from 'node:child_process'
import {createInterface} from 'node:readline'
import {PluginError} from '../sample/contract.js'
import type {ColdReply, ErrorReply, LoadReply, PrepareReply, RoundResult, RoundsRequest} from './rounds-protocol.js'
import {ROUNDS_PREFIX} from './rounds-protocol.js'

export interface RoundsCommand {
  file: string
  args: string[]
  env?: Record<string, string>
}

/** How long a request may take before the process is taken for hung and killed. */
function deadlineMs(request: RoundsRequest): number {
  return request.op === 'round' ? request.ms + 60_000 : 120_000
}

export class RoundsProcess {
  private readonly child: ChildProcess
  private readonly waiting: {resolve(value: unknown): void; reject(error: Error): void}[] = []
  private readonly stderr = new StderrBuffer()
  private ended?: Error

  constructor(
    readonly name: string,
    command: RoundsCommand,
  ) {
    this.child = spawn(command.file, command.args, {env: {...process.env, ...command.env}, stdio: ['pipe', 'pipe', 'pipe']})
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => this.stderr.push(chunk))
    createInterface({input: this.child.stdout!}).on('line', (line) => {
      if (!line.startsWith(ROUNDS_PREFIX)) return
      const reply = JSON.parse(line.slice(ROUNDS_PREFIX.length)) as ErrorReply | Record<string, unknown>
      const next = this.waiting.shift()
      if (!next) return
      if ('error' in reply && reply.error) next.reject(new PluginError(String((reply as ErrorReply).error.code), String((reply as ErrorReply).error.message)))
      else next.resolve(reply)
    })
    this.child.on('error', (error) => this.end(new PluginError('HOST_DIED', `${this.name} could not start: ${error.message}`)))
    this.child.on('exit', (code, signal) => {
      const tail = this.stderr.lastLines(4)
      this.end(new PluginError('HOST_DIED', `${this.name} ${describeEnd({exitCode: code, signal})}${tail ? `: ${tail}` : ''}`))
    })
  }

  private end(error: Error): void {
    this.ended ??= error
    for (const w of this.waiting.splice(0)) w.reject(this.ended)
  }

  private request<T>(request: RoundsRequest): Promise<T> {
    if (this.ended) return Promise.reject(this.ended)
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.end(new PluginError('BENCH_TIMEOUT', `${this.name} did not answer ${request.op} ${request.row} within ${Math.round(deadlineMs(request) / 1000)} s and was killed`))
        this.child.kill('SIGKILL')
      }, deadlineMs(request))
      this.waiting.push({
        resolve: (value) => {
          clearTimeout(timer)
          resolve(value as T)
        },
        reject: (error) => {
          clearTimeout(timer)
          reject(error)
        },
      })
      this.child.stdin!.write(`${JSON.stringify(request)}\n`)
    })
  }

  prepare(row: string): Promise<PrepareReply> {
    return this.request({op: 'prepare', row})
  }

  async cold(row: string): Promise<number> {
    return (await this.request<ColdReply>({op: 'cold', row})).ms
  }

  load(row: string): Promise<LoadReply> {
    return this.request({op: 'load', row})
  }

  round(row: string, ms: number, payloadBytes = 0): Promise<RoundResult> {
    return this.request({op: 'round', row, ms, payloadBytes})
  }

  /** Ends the process: stdin closes, it disposes its plugins and exits; killed if it has not within 5 s. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()))
    this.child.stdin!.end()
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
  }
}
