// The floor of worker-thread: a raw postMessage round trip to a worker that formats the message.
import {Worker} from 'node:worker_threads'
import {distPath} from '../paths.js'
import {noPayload} from './floor-direct-call.js'
import {EVERYWHERE, type Loadable, type Row, type Scalable} from './row.js'
import {NODE_WORKERS} from './sources.js'
import {SCALES_BOTH} from './scale-facts.js'

export const floorPostMessage: Row & Loadable & Scalable = {
  id: 'floor-postmessage',
  family: 'floor',
  title: 'a raw worker postMessage round trip',
  runs: {where: 'other-thread', host: 'typescript', plugin: 'typescript'},
  platforms: {support: EVERYWHERE, sources: [NODE_WORKERS]},
  takesPluginPath: false,
  scale: SCALES_BOTH,
  async detect() {
    return {supported: true}
  },
  async load() {
    const worker = new Worker(distPath('src', 'hosts', 'echo-worker.js'))
    await new Promise<void>((resolve, reject) => {
      worker.once('online', resolve)
      worker.once('error', reject)
    })
    // One listener for the worker's life: adding and removing one per call would stop and restart the port.
    // Replies come back in the order of the requests, so calls in flight (scale) are matched without ids.
    const waiting: ((message: string) => void)[] = []
    worker.on('message', (message: string) => waiting.shift()?.(message))
    return {
      call: (input) =>
        new Promise((resolve) => {
          if (input.payload !== undefined) throw noPayload()
          waiting.push((message) => resolve({message}))
          worker.postMessage(input.number)
        }),
      ping: async () => {},
      dispose: async () => {
        await worker.terminate()
      },
    }
  },
}
