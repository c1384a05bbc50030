// A go-plugin plugin's stdout and stderr belong to the host: after the handshake, what the plugin writes with
// process.stdout/process.stderr is streamed over GRPCStdio instead (as go-plugin swaps os.Stdout for a pipe).
// Until the host opens the stream the output is kept, up to a cap, oldest dropped first.
// process.stdout and process.stderr are getters that build their stream on first use, which for a pipe costs a
// process 1 to 4 ms: neither is built for the capture, only when the plugin (or its logger) first writes.
import {StdioChannel, type StdioData} from './services.js'

type StdName = 'stdout' | 'stderr'
type Write = NodeJS.WriteStream['write']

const KEEP_BYTES = 1024 * 1024

export interface StdioSink {
  /** From now on, process.stdout and process.stderr writes go to the host's stream. */
  begin(): void
  /** Hands the stream's writer over: what was kept is sent first. */
  attach(send: (data: StdioData) => void): void
  detach(): void
  /** Writes to the real stderr, as before begin(): the host reads the plugin's log lines there. */
  writeRealStderr(text: string): void
}

export function captureStdio(): StdioSink {
  let send: ((data: StdioData) => void) | undefined
  let kept: StdioData[] = []
  let keptBytes = 0
  const push = (data: StdioData) => {
    if (send) return send(data)
    kept.push(data)
    keptBytes += data.data.length
    while (keptBytes > KEEP_BYTES && kept.length > 1) keptBytes -= kept.shift()!.data.length
  }
  const capture = (channel: number) =>
    function write(chunk: string | Uint8Array, encoding?: BufferEncoding | ((error?: Error | null) => void), callback?: (error?: Error | null) => void): boolean {
      const data = typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? encoding : 'utf8') : Buffer.from(chunk)
      push({channel, data})
      const done = typeof encoding === 'function' ? encoding : callback
      if (done) process.nextTick(done)
      return true
    }
  // The getters as Node defines them, kept before begin() wraps them; and each stream's own write.
  const getters = {stdout: Object.getOwnPropertyDescriptor(process, 'stdout'), stderr: Object.getOwnPropertyDescriptor(process, 'stderr')}
  const real = (name: StdName): NodeJS.WriteStream => (getters[name]?.get ? getters[name].get.call(process) : process[name])
  const originalWrites = new Map<NodeJS.WriteStream, Write>()
  const captured = (stream: NodeJS.WriteStream, channel: number) => {
    if (!originalWrites.has(stream)) {
      originalWrites.set(stream, stream.write)
      stream.write = capture(channel) as Write
    }
    return stream
  }
  return {
    begin() {
      for (const [name, channel] of [['stdout', StdioChannel.STDOUT], ['stderr', StdioChannel.STDERR]] as const) {
        const getter = getters[name]
        if (getter?.get && getter.configurable) {
          Object.defineProperty(process, name, {configurable: true, enumerable: getter.enumerable, get: () => captured(real(name), channel)})
        } else captured(process[name], channel)
      }
    },
    writeRealStderr(text) {
      const stream = real('stderr')
      ;(originalWrites.get(stream) ?? stream.write).call(stream, text)
    },
    attach(writer) {
      send = writer
      for (const data of kept) writer(data)
      kept = []
      keptBytes = 0
    },
    detach() {
      send = undefined
    },
  }
}
