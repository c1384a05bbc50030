// A go-plugin plugin's stdout and stderr belong to the host: after the handshake, what the plugin writes with
// process.stdout/process.stderr is streamed over GRPCStdio instead (as go-plugin swaps os.Stdout for a pipe).
// Until the host opens the stream the output is kept, up to a cap, oldest dropped first.
import {StdioChannel, type StdioData} from './services.js'

const KEEP_BYTES = 1024 * 1024

export interface StdioSink {
  /** From now on, process.stdout and process.stderr writes go to the host's stream. */
  begin(): void
  /** Hands the stream's writer over: what was kept is sent first. */
  attach(send: (data: StdioData) => void): void
  detach(): void
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
  return {
    begin() {
      process.stdout.write = capture(StdioChannel.STDOUT) as typeof process.stdout.write
      process.stderr.write = capture(StdioChannel.STDERR) as typeof process.stderr.write
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
