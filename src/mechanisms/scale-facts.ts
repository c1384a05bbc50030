// The scale facts rows share (Scalable in row.ts): each row's file says which hold for it.
import type {Support} from '../core/support.js'
import type {Scalable} from './row.js'

type ScaleFacts = Scalable['scale']

const yes: Support = {supported: true}

/** Several plugins at once, calls in flight overlapping on the transport: processes, workers, gRPC clients. */
export const SCALES_BOTH: ScaleFacts = {instances: yes, calls: yes}

/** A call on the host's own JavaScript thread: several plugins can be held, but calls never overlap. */
export const HOLDS_MANY_CALLS_IN_TURN: ScaleFacts = {
  instances: yes,
  calls: {supported: false, reason: "a call runs to its end on the host's one JavaScript thread: calls never overlap, so C callers would only take turns"},
}
