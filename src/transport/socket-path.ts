import {randomBytes} from 'node:crypto'
import os from 'node:os'
import path from 'node:path'

/** A fresh local socket address: a named pipe on Windows, a short unix socket path elsewhere (108-byte limit). */
export function freshSocketPath(prefix: string): string {
  const name = `${prefix}-${process.pid}-${randomBytes(4).toString('hex')}`
  return process.platform === 'win32' ? `\\\\.\\pipe\\${name}` : path.join(os.tmpdir(), `${name}.sock`)
}
