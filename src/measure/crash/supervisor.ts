// A careful host around any mechanism: a start timeout and a per-call timeout for every row (even the
// in-process ones, whose calls cannot time themselves out), a plugin that hangs is killed, a call that fails
// otherwise is followed by a ping (go-plugin#31: "use Ping and relaunch"), a plugin that dies or fails its
// ping is restarted on the next call with a backoff that doubles on each consecutive failure, calls in
// flight when a plugin dies are failed explicitly with a code, and a new version can be swapped in while
// calls stream (the old one drains first, so none is lost).
import {performance} from 'node:perf_hooks'
import {setTimeout as sleep} from 'node:timers/promises'
import {PluginError, type PluginInput, type PluginOutput, errorFields} from '../../sample/contract.js'
import type {Loadable} from '../../mechanisms/row.js'
import type {LoadedPlugin, LoadOptions} from '../../transport/types.js'

export interface SupervisorOptions extends LoadOptions {
  startTimeoutMs: number
  /** 0: calls have no time limit. */
  callTimeoutMs: number
  /** The first restart is immediate; each further consecutive failure doubles the wait, up to maxMs. */
  backoff?: {initialMs: number; maxMs: number}
  onEvent?(event: SupervisorEvent): void
}

export type SupervisorEvent =
  | {type: 'started'; generation: number; pid?: number; ms: number}
  | {type: 'start-failed'; code: string; message: string}
  | {type: 'died'; generation: number; code: string; message: string}
  | {type: 'killed'; generation: number; code: string}
  | {type: 'reloaded'; generation: number; ms: number}

/** Errors after which a plugin is presumed gone or stuck: it is killed if need be and restarted on the next call. */
const FATAL_CODES = new Set(['PLUGIN_EXITED', 'PLUGIN_CRASHED', 'PLUGIN_OOM', 'CALL_TIMEOUT'])

interface Instance {
  plugin: LoadedPlugin
  generation: number
  inFlight: number
  calls: number
  dead?: PluginError
  /** Stopped on purpose (replaced by a reload, or disposed): its end is not a death. */
  retired?: boolean
  onDrained?(): void
}

/** Any error as a PluginError with a code: a plugin's own plain throw becomes PLUGIN_THREW. */
export function asPluginError(error: unknown): PluginError {
  if (error instanceof PluginError) return error
  return new PluginError('PLUGIN_THREW', `the plugin threw: ${errorFields(error).message}`, {cause: error})
}

function withDeadline<T>(promise: Promise<T>, ms: number, onTimeout: () => PluginError): Promise<T> {
  if (ms <= 0) return promise
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms)
  })
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer))
}

export class Supervisor {
  private options: SupervisorOptions
  private current?: Instance
  private starting?: Promise<Instance>
  private generations = 0
  private launches = 0
  private consecutiveFailures = 0
  private restartCount = 0
  private disposed = false
  /** Plugins being stopped (killed, drained, disposed): dispose() waits for all of them. */
  private readonly stopping = new Set<Promise<void>>()
  private readonly callsByGeneration = new Map<number, number>()

  constructor(private readonly row: Loadable, options: SupervisorOptions) {
    this.options = options
  }

  /** Restarts after the first start (a reload is not a restart). */
  get restarts(): number {
    return this.restartCount
  }

  get generation(): number {
    return this.current?.generation ?? 0
  }

  get pid(): number | undefined {
    return this.current?.plugin.pid
  }

  /** Calls answered by each generation of the plugin (1 is the first start). */
  answeredBy(): ReadonlyMap<number, number> {
    return this.callsByGeneration
  }

  /** Starts the plugin now rather than on the first call. */
  async start(): Promise<void> {
    await this.live()
  }

  async call(input: PluginInput): Promise<PluginOutput> {
    const instance = await this.live()
    instance.inFlight++
    try {
      const output = await withDeadline(
        instance.plugin.call(input),
        this.options.callTimeoutMs,
        () => new PluginError('CALL_TIMEOUT', `the plugin did not answer within ${this.options.callTimeoutMs} ms`),
      )
      this.consecutiveFailures = 0
      instance.calls++
      this.callsByGeneration.set(instance.generation, instance.calls)
      return output
    } catch (error) {
      const failure = asPluginError(error)
      if (FATAL_CODES.has(failure.code)) this.lose(instance, failure, failure.code === 'CALL_TIMEOUT')
      else if (instance.dead === undefined && !(await this.answersPing(instance))) {
        this.lose(instance, new PluginError('PING_FAILED', `the plugin failed a call (${failure.code}) and then its ping`), true)
      }
      throw failure
    } finally {
      instance.inFlight--
      if (instance.inFlight === 0) instance.onDrained?.()
    }
  }

  /**
   * Swaps in a plugin started with these options (a new version): calls go to the new plugin as soon as it
   * is ready, while the old one finishes the calls it has, then is disposed. Resolves with the swap's duration.
   */
  async reload(next: Partial<LoadOptions>): Promise<{ms: number; generation: number}> {
    const started = performance.now()
    this.options = {...this.options, ...next}
    const old = this.current
    const instance = await this.launch(false)
    if (old !== undefined && old !== instance) this.retire(old)
    const ms = performance.now() - started
    this.options.onEvent?.({type: 'reloaded', generation: instance.generation, ms})
    return {ms, generation: instance.generation}
  }

  /** Stops the plugin and everything being stopped. Safe to call more than once. */
  async dispose(): Promise<void> {
    this.disposed = true
    const starting = this.starting
    if (starting !== undefined) await starting.then((instance) => this.track(instance.plugin.dispose()), () => {})
    if (this.current !== undefined) {
      this.current.retired = true
      this.track(this.current.plugin.dispose())
    }
    this.current = undefined
    await Promise.all([...this.stopping])
  }

  private async answersPing(instance: Instance): Promise<boolean> {
    const limitMs = this.options.callTimeoutMs > 0 ? this.options.callTimeoutMs : this.options.startTimeoutMs
    const ping = withDeadline(instance.plugin.ping(), limitMs, () => new PluginError('CALL_TIMEOUT', `no ping answer within ${limitMs} ms`))
    return ping.then(
      () => true,
      () => false,
    )
  }

  private async live(): Promise<Instance> {
    if (this.current !== undefined && this.current.dead === undefined) return this.current
    this.starting ??= this.launch(true).finally(() => {
      this.starting = undefined
    })
    return this.starting
  }

  private async launch(afterFailure: boolean): Promise<Instance> {
    if (afterFailure && this.consecutiveFailures > 1) {
      const {initialMs, maxMs} = this.options.backoff ?? {initialMs: 100, maxMs: 2000}
      await sleep(Math.min(maxMs, initialMs * 2 ** (this.consecutiveFailures - 2)))
    }
    if (this.disposed) throw new PluginError('HOST_STOPPED', 'the host is shutting down: no plugin is started any more')
    const isRestart = afterFailure && this.consecutiveFailures > 0
    const started = performance.now()
    // A module cached by an earlier start would be the same (possibly broken) instance: import anew.
    const loading = this.row.load({...this.options, fresh: this.options.fresh || this.launches++ > 0})
    let plugin: LoadedPlugin
    try {
      plugin = await withDeadline(loading, this.options.startTimeoutMs, () => {
        // The late plugin, if it ever starts, is stopped at once.
        loading.then((late) => this.track(late.kill?.() ?? late.dispose()), () => {})
        return new PluginError('START_TIMEOUT', `the plugin did not start within ${this.options.startTimeoutMs} ms`)
      })
    } catch (error) {
      const failure = asPluginError(error)
      this.consecutiveFailures++
      this.options.onEvent?.({type: 'start-failed', code: failure.code, message: failure.message})
      throw failure
    }
    const instance: Instance = {plugin, generation: ++this.generations, inFlight: 0, calls: 0}
    if (isRestart) this.restartCount++
    plugin.closed?.then((reason) => this.lose(instance, asPluginError(reason), false))
    this.current = instance
    this.options.onEvent?.({type: 'started', generation: instance.generation, pid: plugin.pid, ms: performance.now() - started})
    if (this.disposed) this.track(plugin.dispose())
    return instance
  }

  // A plugin that died or stopped answering: never used again; killed when it may still be running.
  private lose(instance: Instance, reason: PluginError, kill: boolean): void {
    if (instance.dead !== undefined || instance.retired) return
    instance.dead = reason
    this.consecutiveFailures++
    if (this.current === instance) this.current = undefined
    if (kill) {
      this.options.onEvent?.({type: 'killed', generation: instance.generation, code: reason.code})
      this.track(instance.plugin.kill?.() ?? instance.plugin.dispose())
    } else {
      this.options.onEvent?.({type: 'died', generation: instance.generation, code: reason.code, message: reason.message})
      this.track(instance.plugin.dispose())
    }
  }

  // A replaced version: disposed once its calls in flight have answered.
  private retire(instance: Instance): void {
    instance.retired = true
    const drained = instance.inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => (instance.onDrained = resolve))
    this.track(drained.then(() => instance.plugin.dispose()))
  }

  private track(stopping: Promise<void>): void {
    const tracked = stopping.catch(() => {}).finally(() => this.stopping.delete(tracked))
    this.stopping.add(tracked)
  }
}
