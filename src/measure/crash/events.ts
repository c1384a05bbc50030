// The line protocol between a throwaway crash host and crash-test: one event per line on stdout, each
// `@@crash {json}` on a line of its own, so junk a plugin prints (the stdout-garbage fault) cannot be taken
// for an event. Hosts in other languages print the same lines (docs/crash-test.md).

import type {HotReloadRowOk, StdioLines} from '../../results/types.js'

export const EVENT_PREFIX = '@@crash '

const MAX_PENDING_CHARS = 64 * 1024

/** The outcome of one fault probe, as the host that lived through it saw it. */
export interface ProbeResult {
  /** The error the host saw, as a code (PLUGIN_THREW, CALL_TIMEOUT...); absent when the fault went unnoticed. */
  errorCode?: string
  errorMessage?: string
  /** Fault injected to host noticing it, in ms. */
  detectMs?: number
  /** The host restarted the plugin where needed and the next call returned the exact sample answer. */
  recovered: boolean
  /** Why the next call failed, when it did. */
  recoveryError?: string
  restarts: number
  /** The stdio-lines fault: the marked lines that reached the host, once the calls were done. */
  stdio?: StdioLines
  notes?: string[]
}

/** A hot reload as the host that streamed calls through it saw it: a HotReloadRow's figures. */
export type HotReloadResult = Required<Pick<HotReloadRowOk, 'reloadMs' | 'calls' | 'failedCalls' | 'errorCodes' | 'answeredByOld' | 'answeredByNew'>> &
  Pick<HotReloadRowOk, 'oldPid' | 'newPid' | 'oldProcessExited' | 'oldModuleRetained' | 'heapGrowthPerReloadBytes' | 'notes'>

export type CrashEvent =
  | {event: 'ready'; pid?: number}
  | {event: 'injecting'}
  | {event: 'detected'}
  | {event: 'running'; pids: number[]}
  | ({event: 'result'} & ProbeResult)
  | ({event: 'reload-result'} & HotReloadResult)
  | {event: 'failed'; code: string; message: string}

export function formatEvent(event: CrashEvent): string {
  return `\n${EVENT_PREFIX}${JSON.stringify(event)}\n`
}

/** Splits a host's stdout into events as it arrives; anything else on stdout is ignored. */
export class EventReader {
  private buffered = ''

  constructor(private readonly onEvent: (event: CrashEvent) => void) {}

  push(chunk: string): void {
    this.buffered += chunk
    let newline: number
    while ((newline = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, newline)
      this.buffered = this.buffered.slice(newline + 1)
      const at = line.indexOf(EVENT_PREFIX)
      if (at < 0) continue
      try {
        this.onEvent(JSON.parse(line.slice(at + EVENT_PREFIX.length)) as CrashEvent)
      } catch {
        // A line that merely looks like an event (plugin junk): not one.
      }
    }
    // A plugin flooding stdout without a newline must not grow this without bound: an event line is short.
    if (this.buffered.length > MAX_PENDING_CHARS) this.buffered = this.buffered.slice(-MAX_PENDING_CHARS)
  }
}
