// The messages of the lean transports (worker-thread, child-rpc, wasm in a worker): a call `{id, n, p}` and its
// reply `{id, m, p}` or `{id, e}`, or, once at start, `{ready}`. Short keys: they cross on every call.
import {errorFields, type PluginOutput} from '../sample/contract.js'
import type {PendingCalls} from './pending-calls.js'
import {remoteError} from './pending-calls.js'

export interface CallMessage {
  id: number
  n: number
  p?: string
}

/** An error as it crosses a thread or process boundary. */
export interface ErrorBody {
  code?: string
  message?: string
}

export interface Reply {
  id?: number
  /** The start's outcome: the plugin loaded (true), or failed with `e`. */
  ready?: boolean
  m?: string
  p?: string
  e?: ErrorBody
}

/** A thrown error as a reply's `e`, with `code` when it has none of its own. */
export function errorBody(error: unknown, code: string): Required<ErrorBody> {
  const fields = errorFields(error)
  return {code: fields.code ?? code, message: fields.message}
}

export function answer(id: number, output: PluginOutput): Reply {
  return {id, m: output.message, p: output.payload}
}

/** Settles the call a reply answers. */
export function settleReply(calls: PendingCalls, reply: Reply): void {
  calls.settle(reply.id!, {message: reply.m!, payload: reply.p}, reply.e ? remoteError(reply.e) : undefined)
}
