// A typed client of any gRPC service on the lean client: one function per method, shaped by the method's kind
// (unary, server streaming, client streaming, bidirectional). Typed from the definition: a definition generated
// with literal `requestStream`/`responseStream` (ts-proto's grpc-js output, the hand-written ones here) gives
// exact types; one loaded at run time from a .proto (loadProtoService) gives loose ones.
import type {MethodDefinition, ServiceDefinition} from '@grpc/grpc-js'
import {GrpcCallError, GrpcStatus, type CallOptions, type GrpcClient} from './grpc-client.js'

export type UnaryMethod<Req, Res> = (request: Req, options?: CallOptions) => Promise<Res>
/** Messages as they arrive; the iteration throws GrpcCallError when the call ends with a status other than OK. */
export interface ResponseStream<Res> extends AsyncIterable<Res> {
  cancel(): void
}
export type ServerStreamMethod<Req, Res> = (request: Req, options?: CallOptions) => ResponseStream<Res>
export type ClientStreamMethod<Req, Res> = (requests: Iterable<Req> | AsyncIterable<Req>, options?: CallOptions) => Promise<Res>
export interface DuplexCall<Req, Res> extends ResponseStream<Res> {
  send(message: Req): void
  /** No more requests (the responses go on until the server ends the call). */
  end(): void
}
export type BidiStreamMethod<Req, Res> = (options?: CallOptions) => DuplexCall<Req, Res>

type ClientMethod<M> =
  M extends MethodDefinition<infer Req, infer Res>
    ? boolean extends M['requestStream'] | M['responseStream']
      ? // The kind is known only at run time (a definition loaded from a .proto file).
        (...args: any[]) => any
      : M['requestStream'] extends true
        ? M['responseStream'] extends true
          ? BidiStreamMethod<Req, Res>
          : ClientStreamMethod<Req, Res>
        : M['responseStream'] extends true
          ? ServerStreamMethod<Req, Res>
          : UnaryMethod<Req, Res>
    : never

/** What `dispense(definition)` returns: a function per method, under its name and its lowerCamel originalName. */
export type ServiceClient<S extends ServiceDefinition> = {[K in keyof S]: ClientMethod<S[K]>} & Record<string, any>

// An async queue of a stream's messages, ended by the call's status.
function responseStream<Res>(open: (push: (message: Res) => void) => {done: Promise<{code: number; details: string}>; cancel(): void}): {
  stream: ResponseStream<Res>
  handle: ReturnType<typeof open>
} {
  const queue: Res[] = []
  let wake: (() => void) | undefined
  let ended: {code: number; details: string} | undefined
  const handle = open((message) => {
    queue.push(message)
    wake?.()
  })
  handle.done.then((status) => {
    ended = status
    wake?.()
  })
  const stream: ResponseStream<Res> = {
    cancel: () => handle.cancel(),
    async *[Symbol.asyncIterator]() {
      try {
        for (;;) {
          if (queue.length > 0) {
            yield queue.shift()!
            continue
          }
          if (ended) {
            if (ended.code !== GrpcStatus.OK) throw new GrpcCallError(ended.code, ended.details)
            return
          }
          await new Promise<void>((resolve) => (wake = resolve))
          wake = undefined
        }
      } finally {
        // A consumer that stops early (break) ends the call.
        if (!ended) handle.cancel()
      }
    },
  }
  return {stream, handle}
}

export function methodClient(client: () => GrpcClient | Promise<GrpcClient>, method: MethodDefinition<any, any>): (...args: any[]) => any {
  const lazy = (use: (c: GrpcClient) => void) => {
    const c = client()
    if (c instanceof Promise) c.then(use)
    else use(c)
  }
  if (!method.requestStream && !method.responseStream) {
    return async (request: unknown, options?: CallOptions) => (await client()).call(method, request, options)
  }
  if (!method.requestStream) {
    return (request: unknown, options?: CallOptions) =>
      responseStream((push) => {
        let call: ReturnType<GrpcClient['stream']> | undefined
        let cancelled = false
        let resolveDone!: (s: {code: number; details: string}) => void
        const done = new Promise<{code: number; details: string}>((resolve) => (resolveDone = resolve))
        lazy((c) => {
          call = c.stream(method, push, request, options)
          if (cancelled) call.cancel()
          call.done.then(resolveDone)
        })
        return {done, cancel: () => ((cancelled = true), call?.cancel())}
      }).stream
  }
  const duplex = (options?: CallOptions) => {
    const pending: unknown[] = []
    let endRequested = false
    let call: ReturnType<GrpcClient['stream']> | undefined
    const {stream} = responseStream((push) => {
      let cancelled = false
      let resolveDone!: (s: {code: number; details: string}) => void
      const done = new Promise<{code: number; details: string}>((resolve) => (resolveDone = resolve))
      lazy((c) => {
        call = c.stream(method, push, undefined, options)
        for (const message of pending.splice(0)) call.send(message)
        if (endRequested) call.end()
        if (cancelled) call.cancel()
        call.done.then(resolveDone)
      })
      return {done, cancel: () => ((cancelled = true), call?.cancel())}
    })
    const result: DuplexCall<unknown, unknown> = Object.assign(stream, {
      send(message: unknown) {
        if (call) call.send(message)
        else pending.push(message)
      },
      end() {
        endRequested = true
        call?.end()
      },
    })
    return result
  }
  if (method.responseStream) return duplex
  return async (requests: Iterable<unknown> | AsyncIterable<unknown>, options?: CallOptions) => {
    const call = duplex(options)
    const responses: unknown[] = []
    const reading = (async () => {
      for await (const message of call) responses.push(message)
    })()
    try {
      for await (const message of requests) call.send(message)
      call.end()
    } catch (error) {
      call.cancel()
      throw error
    }
    await reading
    // A grpc-go server that returns OK without SendAndClose sends no message (go-plugin's examples/streaming does,
    // its Go client taking the io.EOF): that reads as the empty message.
    if (responses.length === 0) return method.responseDeserialize(Buffer.alloc(0))
    if (responses.length > 1) throw new GrpcCallError(GrpcStatus.INTERNAL, `a client-streaming call must answer one message, got ${responses.length}`)
    return responses[0]
  }
}

/** A client of every method of `definition`, each call on `client()` (the current connection). */
export function serviceClient<S extends ServiceDefinition>(definition: S, client: () => GrpcClient | Promise<GrpcClient>): ServiceClient<S> {
  const methods: Record<string, unknown> = {}
  for (const [name, method] of Object.entries(definition)) {
    const fn = methodClient(client, method as MethodDefinition<any, any>)
    methods[name] = fn
    const original = (method as {originalName?: string}).originalName
    if (original && !(original in methods)) methods[original] = fn
  }
  return methods as ServiceClient<S>
}
