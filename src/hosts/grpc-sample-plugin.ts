// The sample plugin as a go-plugin gRPC plugin written in TypeScript: any go-plugin host (Go's, or this
// project's) can start it with `node grpc-sample-plugin.js`. It serves the plugin module named by
// PLUGIN_SURVEY_PLUGIN (the sample by default). PLUGIN_SURVEY_FAULT makes it misbehave on purpose.
// PLUGIN_SURVEY_DESCRIPTORS=proto-loader serves the service as loaded from proto/sample.proto at run time
// (the way any .proto service is served) instead of the hand-written codecs.
import {loadPluginModule} from '../transport/load-module.js'
import path from 'node:path'
import {packageRoot, samplePluginPath} from '../paths.js'
import {loadProtoService} from '../protocol/proto-service.js'
import {invoke, settleIfPending, codedError} from '../sample/contract.js'
import {SAMPLE_SERVICE_NAME, sampleHandshake, sampleService, type CallRequest, type CallResponse} from '../protocol/sample-service.js'
import {Status, type ServerCall, type UnaryCallback} from '../protocol/grpc-server.js'
import {requireCookie, serve} from '../protocol/serve.js'
import {PARENT_WATCH_VARIABLE, STDIO_FAULT, STDIO_MARKER} from '../sample/faults.js'
import {segfault} from '../../fixtures/node/faults/trigger.js'

const fault = process.env.PLUGIN_SURVEY_FAULT ?? ''
const noSocket = '/tmp/plugin-survey-no-such.sock'
const waitForever = () => setInterval(() => {}, 1 << 30)

// Broken handshakes: what a host must survive before any call.
const brokenHandshakes: Record<string, () => void> = {
  'bad-core-version': () => process.stdout.write(`2|1|unix|${noSocket}|grpc|\n`),
  'bad-app-version': () => process.stdout.write(`1|99|unix|${noSocket}|grpc|\n`),
  'bad-protocol': () => process.stdout.write(`1|1|unix|${noSocket}|carrier-pigeon|\n`),
  'garbage-handshake': () => process.stdout.write('hello, I am not a handshake\n'),
  'no-handshake': () => {},
}

// Faults inside a call, each the TypeScript counterpart of the Go plugin's (fixtures/go/internal/fault).
const callFaults: Record<string, () => boolean> = {
  throw: () => {
    throw new Error('plugin-survey fault: throw in the call')
  },
  reject: () => {
    void Promise.reject(new Error('plugin-survey fault: unhandled rejection'))
    return false
  },
  exit: () => process.exit(3),
  segfault,
  hang: () => {
    for (;;) {
      // Burns the CPU: only a kill from outside ends it.
    }
  },
  never: () => true,
  // As fixtures/node/faults/oom.ts: filled arrays of doubles reach the heap cap in a fraction of a second.
  oom: () => {
    const hoard: number[][] = []
    for (;;) hoard.push(new Array<number>(100_000).fill(hoard.length + 0.5))
  },
  'stdout-garbage': () => {
    process.stdout.write('\u0000\u00ffgarbage from the plugin{{{not json\n')
    return false
  },
  // Through process.stdout/stderr, which serve() hands to GRPCStdio after the handshake.
  [STDIO_FAULT.id]: () => {
    process.stdout.write(`${STDIO_MARKER} a line on stdout\n`)
    process.stderr.write(`${STDIO_MARKER} a line on stderr\n`)
    return false
  },
}

if (fault in brokenHandshakes) {
  brokenHandshakes[fault]()
  waitForever()
} else if (fault === 'exit-before-handshake') {
  process.stderr.write('plugin-survey fault: exiting before the handshake\n')
  process.exit(2)
} else {
  requireCookie(sampleHandshake)
  if (fault === 'noise-before-handshake') process.stdout.write('plugin-survey fault: noise on stdout before the handshake\n')
  if (fault === 'slow-start') await new Promise((resolve) => setTimeout(resolve, Number(process.env.PLUGIN_SURVEY_SLOW_START_MS || 2000)))
  const plugin = await loadPluginModule(process.env.PLUGIN_SURVEY_PLUGIN || samplePluginPath).catch((error: {code?: string; message?: string}) => {
    // Before the handshake, stderr is all a host sees: one line with the code, as calls carry theirs.
    process.stderr.write(`[${error.code ?? 'PLUGIN_LOAD'}] ${error.message}\n`)
    process.exit(1)
  })
  const trigger = callFaults[fault]
  const definition =
    process.env.PLUGIN_SURVEY_DESCRIPTORS === 'proto-loader' ? await loadProtoService(path.join(packageRoot, 'proto', 'sample.proto'), SAMPLE_SERVICE_NAME) : sampleService
  await serve({
    handshake: sampleHandshake,
    exitWithParent: process.env[PARENT_WATCH_VARIABLE] !== 'off',
    services: [
      {
        definition,
        implementation: {
          call(call: ServerCall<CallRequest, CallResponse>, callback: UnaryCallback<CallResponse>) {
            const failed = (error: unknown) => {
              const {code, message} = codedError(error, 'PLUGIN_THREW')
              callback({code: Status.UNKNOWN, details: `[${code}] ${message}`})
            }
            try {
              // A fault that answers nothing (never) leaves the callback uncalled; one that throws is the call's error.
              if (trigger?.()) return
              // An async plugin (its function returns a promise) answers once the promise settles.
              const output = settleIfPending(invoke(plugin, call.request))
              if (output instanceof Promise) output.then((settled) => callback(null, settled), failed)
              else callback(null, output)
            } catch (error) {
              failed(error)
            }
          },
        },
      },
    ],
  })
}
