import {PluginError, type PluginOutput} from '../sample/contract.js'

interface Pending {
  resolve(output: PluginOutput): void
  reject(error: Error): void
  timer?: NodeJS.Timeout
}

/**
 * Calls in flight over a message transport, matched to their replies by id. When the plugin dies every
 * call still in flight is failed explicitly (failAll), never left hanging.
 */
export class PendingCalls {
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private closedWith?: Error

  constructor(private readonly callTimeoutMs = 0) {}

  get size(): number {
    return this.pending.size
  }

  /** Registers a call and returns its id and the promise of its reply. */
  open(): {id: number; reply: Promise<PluginOutput>} {
    const id = this.nextId++
    const reply = new Promise<PluginOutput>((resolve, reject) => {
      if (this.closedWith) {
        reject(this.closedWith)
        return
      }
      const entry: Pending = {resolve, reject}
      if (this.callTimeoutMs > 0) {
        entry.timer = setTimeout(() => {
          this.pending.delete(id)
          reject(new PluginError('CALL_TIMEOUT', `the plugin did not answer call ${id} within ${this.callTimeoutMs} ms`))
        }, this.callTimeoutMs)
      }
      this.pending.set(id, entry)
    })
    return {id, reply}
  }

  settle(id: number, output?: PluginOutput, error?: Error): void {
    const entry = this.pending.get(id)
    if (entry === undefined) return
    this.pending.delete(id)
    if (entry.timer) clearTimeout(entry.timer)
    if (error) entry.reject(error)
    else entry.resolve(output as PluginOutput)
  }

  /** Fails every call in flight, and every later call, with this error. */
  failAll(error: Error): void {
    this.closedWith ??= error
    for (const [id, entry] of this.pending) {
      this.pending.delete(id)
      if (entry.timer) clearTimeout(entry.timer)
      entry.reject(error)
    }
  }
}

/** Rebuilds an error sent across a thread or process boundary as {code, message}. */
export function remoteError(error: {code?: string; message?: string}): PluginError {
  return new PluginError(error.code ?? 'PLUGIN_ERROR', error.message ?? 'the plugin reported an error')
}
