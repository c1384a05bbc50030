// A child process that dials back: the host listens on a fresh local socket, starts a Node entry of this
// package with the socket's path in PLUGIN_SURVEY_SOCKET, and gets the connection.
import net from 'node:net'
import {rmSync} from 'node:fs'
import {distPath} from '../paths.js'
import {PluginError} from '../sample/contract.js'
import {spawnPlugin, type PluginProcess} from './child-process.js'
import {freshSocketPath} from './socket-path.js'

export interface ConnectedChild {
  socket: net.Socket
  child: PluginProcess
  /** Ends the connection, then the process, and removes the socket. */
  close(): Promise<void>
}

/** Starts `src/hosts/<entry>` and resolves with its connection; rejects when it exits first. */
export async function connectedChild(entry: string, env: Record<string, string> = {}): Promise<ConnectedChild> {
  const socketPath = freshSocketPath('ps-floor')
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(socketPath, resolve))
  const child = spawnPlugin(process.execPath, [distPath('src', 'hosts', entry)], {...env, PLUGIN_SURVEY_SOCKET: socketPath})
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    server.once('connection', resolve)
    child.exited.then(() => reject(new PluginError('PLUGIN_EXITED', `the ${entry} process exited: ${child.stderrTail()}`)))
  })
  socket.setNoDelay(true)
  return {
    socket,
    child,
    async close() {
      socket.end()
      await child.stop(1000)
      server.close()
      if (process.platform !== 'win32') rmSync(socketPath, {force: true})
    },
  }
}
