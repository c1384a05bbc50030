// Where a go-plugin server listens: a unix socket in the socket folder (PLUGIN_UNIX_SOCKET_DIR, else the temp
// folder), given to PLUGIN_UNIX_SOCKET_GROUP when set; on Windows the first free TCP port of 127.0.0.1 in
// [PLUGIN_MIN_PORT, PLUGIN_MAX_PORT], as go-plugin's serverListener does. The plugin's own server and every
// brokered server (either side) listen this way.
import {chmodSync, chownSync, readFileSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type {GrpcServer, TlsOptions} from './grpc-server.js'

export interface ListenConfig {
  socketDir?: string
  socketGroup?: string
  minPort?: number
  maxPort?: number
}

export interface ListenAddress {
  network: 'unix' | 'tcp'
  address: string
}

/** The plugin side's configuration, from the environment the host set. */
export function listenConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ListenConfig {
  return {
    socketDir: env.PLUGIN_UNIX_SOCKET_DIR || undefined,
    socketGroup: env.PLUGIN_UNIX_SOCKET_GROUP || undefined,
    minPort: Number(env.PLUGIN_MIN_PORT || 0),
    maxPort: Number(env.PLUGIN_MAX_PORT || 0),
  }
}

function groupId(group: string): number {
  if (/^\d+$/.test(group)) return Number(group)
  const line = readFileSync('/etc/group', 'utf8')
    .split('\n')
    .find((l) => l.split(':')[0] === group)
  if (line === undefined) throw new Error(`failed to find gid from ${JSON.stringify(group)}`)
  return Number(line.split(':')[2])
}

export async function listen(server: GrpcServer, config: ListenConfig, tls?: TlsOptions): Promise<ListenAddress> {
  if (process.platform === 'win32') {
    const min = config.minPort ?? 0
    const max = config.maxPort ?? 0
    if (min > max) throw new Error(`PLUGIN_MIN_PORT value of ${min} is greater than PLUGIN_MAX_PORT value of ${max}`)
    for (let port = min; port <= max; port++) {
      try {
        const bound = await server.listen({port}, tls)
        return {network: 'tcp', address: `127.0.0.1:${bound}`}
      } catch {
        // Taken: try the next port.
      }
    }
    throw new Error("Couldn't bind plugin TCP listener")
  }
  // A random name, as go-plugin's os.CreateTemp(dir, "plugin") makes one (not a secret: node:crypto would cost ~6 ms of start).
  const file = path.join(config.socketDir || os.tmpdir(), `plugin${Math.floor(Math.random() * 1e9)}`)
  await server.listen({path: file}, tls)
  process.on('exit', () => rmSync(file, {force: true}))
  if (config.socketGroup) {
    chownSync(file, -1, groupId(config.socketGroup))
    chmodSync(file, 0o660)
  }
  return {network: 'unix', address: file}
}
