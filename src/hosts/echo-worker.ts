// The raw postMessage floor: a worker that answers each number with the sample's message, nothing else.
import {parentPort} from 'node:worker_threads'

parentPort!.on('message', (n: number) => parentPort!.postMessage(`My custom code prints PluginInputNumber: ${n}`))
