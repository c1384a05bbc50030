// Restart with backoff, which go-plugin leaves to its users (go-plugin#31: "use Ping and relaunch"): a plugin
// that exits (or, with pingIntervalMs, stops answering its health check) is started again after a delay that
// doubles up to a maximum, until maxRestarts is spent. Clients dispensed from the supervisor call whichever
// plugin process is current, waiting for a restart in progress.
import type * as Grpc from '@grpc/grpc-js'
import {PluginError} from '../sample/contract.js'
import {startPlugin, type HostOptions, type PluginHost, type ShutdownResult} from './host.js'
import type {GroupExit} from './process-group.js'
import {serviceClient, type ServiceClient} from './service-client.js'

export interface RestartPolicy {
  /** Restarts allowed in a row before giving up (default 5); a run longer than `resetAfterMs` starts the count again. */
  maxRestarts?: number
  /** The first delay (default 100 ms), multiplied by `factor` (default 2) after each failed run, up to `maxDelayMs` (default 10 s). */
  initialDelayMs?: number
  factor?: number
  maxDelayMs?: number
  /** A run this long resets the delay and the count (default 60 s). */
  resetAfterMs?: number
  /** Ping the plugin this often, and restart it when a ping fails (default: never; only an exit restarts it). */
  pingIntervalMs?: number
  onRestart?(event: RestartEvent): void
  /** The supervisor stopped restarting: `error` says why (the last start's failure, or the count spent). */
  onGiveUp?(error: PluginError): void
}

export interface RestartEvent {
  /** 1 for the first restart in a row, 2 for the next... */
  attempt: number
  delayMs: number
  /** How the previous process ended, or why its start failed. */
  reason: {exit: GroupExit} | {startError: Error} | {pingError: Error}
}

/** A plugin kept running. `shutdown` and `kill` stop the supervision and are safe to call more than once. */
export interface SupervisedPlugin {
  /** The running plugin, or undefined while it is being restarted. */
  current(): PluginHost | undefined
  /** The running plugin, once a restart in progress is done; rejects (SUPERVISOR_GAVE_UP, SUPERVISOR_STOPPED) when there will be none. */
  ready(): Promise<PluginHost>
  /** A typed client whose every call goes to the current plugin. */
  dispense<S extends Grpc.ServiceDefinition>(definition: S): ServiceClient<S>
  ping(timeoutMs?: number): Promise<void>
  /** Restarts so far. */
  readonly restarts: number
  /** Settles when the supervision ends: given up, shut down or killed. */
  readonly stopped: Promise<void>
  shutdown(): Promise<ShutdownResult | undefined>
  kill(): Promise<void>
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export async function supervisePlugin(options: HostOptions, policy: RestartPolicy, start: (options: HostOptions) => Promise<PluginHost> = startPlugin): Promise<SupervisedPlugin> {
  const maxRestarts = policy.maxRestarts ?? 5
  const factor = policy.factor ?? 2
  const maxDelayMs = policy.maxDelayMs ?? 10_000
  const resetAfterMs = policy.resetAfterMs ?? 60_000
  let host: PluginHost | undefined = await start(options)
  let starting: Promise<PluginHost> | undefined
  let restarts = 0
  let inARow = 0
  let delay = policy.initialDelayMs ?? 100
  let stopping: 'shutdown' | 'kill' | undefined
  let gaveUp: PluginError | undefined
  let resolveStopped!: () => void
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve))
  let startedAt = Date.now()

  const giveUp = (error: PluginError) => {
    gaveUp = error
    policy.onGiveUp?.(error)
    resolveStopped()
  }

  // From a lost process to the next running one: backoff, start, and again on failure, until the count is spent.
  const restart = async (reason: RestartEvent['reason']): Promise<PluginHost> => {
    host = undefined
    if (Date.now() - startedAt >= resetAfterMs) {
      inARow = 0
      delay = policy.initialDelayMs ?? 100
    }
    let why = reason
    for (;;) {
      if (inARow >= maxRestarts) {
        const last = 'startError' in why ? `: the last start failed: ${why.startError.message}` : ''
        const error = new PluginError('SUPERVISOR_GAVE_UP', `the plugin was restarted ${inARow} times in a row without staying up ${resetAfterMs} ms; giving up${last}`)
        giveUp(error)
        throw error
      }
      inARow++
      policy.onRestart?.({attempt: inARow, delayMs: delay, reason: why})
      await sleep(delay)
      delay = Math.min(delay * factor, maxDelayMs)
      if (stopping) throw new PluginError('SUPERVISOR_STOPPED', 'the supervisor was stopped')
      try {
        const next = await start(options)
        if (stopping) {
          await next.kill()
          throw new PluginError('SUPERVISOR_STOPPED', 'the supervisor was stopped')
        }
        restarts++
        startedAt = Date.now()
        watch(next)
        host = next
        return next
      } catch (error) {
        if ((error as PluginError).code === 'SUPERVISOR_STOPPED') throw error
        why = {startError: error as Error}
      }
    }
  }

  const lost = (reason: RestartEvent['reason']) => {
    if (stopping || gaveUp || starting) return
    starting = restart(reason).finally(() => (starting = undefined))
    starting.catch(() => {})
  }

  const watch = (running: PluginHost) => {
    running.exited.then((exit) => {
      if (host === running) lost({exit})
    })
    if (policy.pingIntervalMs) {
      const timer = setInterval(() => {
        if (host !== running) return clearInterval(timer)
        running.ping().catch(async (pingError: Error) => {
          if (host !== running) return
          clearInterval(timer)
          host = undefined
          await running.kill()
          lost({pingError})
        })
      }, policy.pingIntervalMs)
      timer.unref()
    }
  }
  watch(host)

  /** Stops supervising (the first way asked is the one kept) and hands back the plugin that ran, to be ended. */
  const stop = (how: 'shutdown' | 'kill'): PluginHost | undefined => {
    stopping ??= how
    const running = host
    host = undefined
    resolveStopped()
    return running
  }

  const ready = async (): Promise<PluginHost> => {
    if (host) return host
    if (starting) return starting
    if (gaveUp) throw gaveUp
    throw new PluginError('SUPERVISOR_STOPPED', 'the supervisor was stopped')
  }

  return {
    current: () => host,
    ready,
    dispense: (definition) => serviceClient(definition, async () => (await ready()).client),
    ping: async (timeoutMs) => (await ready()).ping(timeoutMs),
    get restarts() {
      return restarts
    },
    stopped,
    async shutdown() {
      return stop('shutdown')?.shutdown()
    },
    async kill() {
      await stop('kill')?.kill()
    },
  }
}
