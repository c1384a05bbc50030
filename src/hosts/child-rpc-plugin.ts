// The plugin side of child-rpc: a process that connects back to its host's socket, loads the plugin
// module and answers framed calls. It exits as soon as the connection closes, so a host that dies
// (even by SIGKILL) never leaves it behind.
import net from 'node:net'
import type {LeanCall} from '../transport/messages.js'
import {invoke, isPending, settleOutput, type PluginOutput, codedError} from '../sample/contract.js'
import {loadPluginModule} from '../transport/load-module.js'
import {encodeFrame, FrameDecoder} from '../transport/framing.js'

const socketPath = process.env.PLUGIN_SURVEY_SOCKET
const pluginPath = process.env.PLUGIN_SURVEY_PLUGIN
if (!socketPath || !pluginPath) {
  process.stderr.write('This program is a plugin-survey child-rpc plugin host: it is started by plugin-survey, not by hand.\n')
  process.exit(1)
}

const socket = net.connect(socketPath)
socket.setNoDelay(true)
socket.on('close', () => process.exit(0))
socket.on('error', () => process.exit(0))

const errorBody = (error: unknown) => codedError(error, 'PLUGIN_THREW')

try {
  const plugin = await loadPluginModule(pluginPath)
  const reply = (id: number, output: PluginOutput) => socket.write(encodeFrame({id, m: output.message, p: output.payload}))
  const fail = (id: number, error: unknown) => socket.write(encodeFrame({id, e: errorBody(error)}))
  const decoder = new FrameDecoder((frame) => {
    const request = frame as LeanCall
    try {
      const output = invoke(plugin, {number: request.n, payload: request.p})
      // An async plugin answers later (or never); the synchronous path stays as it is.
      if (isPending(output)) settleOutput(output).then((settled) => reply(request.id, settled), (error: unknown) => fail(request.id, error))
      else reply(request.id, output)
    } catch (error) {
      fail(request.id, error)
    }
  })
  socket.on('data', (chunk: Buffer) => decoder.push(chunk))
  socket.write(encodeFrame({ready: true, pid: process.pid}))
} catch (error) {
  socket.end(encodeFrame({ready: false, e: errorBody(error)}))
}
