// The messages of the lean transports (a worker's postMessage, the child process's frames, the wasm worker):
// short keys, because they are copied on every call.

/** A call: its id, the input number, and the payload to echo when one is sent. */
export interface LeanCall {
  id: number
  n: number
  p?: string
}

/** What the plugin side sends: `ready` once (with `e` when loading failed), then one reply per call id: the message, the payload, or the error. */
export interface LeanReply {
  id?: number
  ready?: boolean
  m?: string
  p?: string
  e?: {code?: string; message?: string}
}
