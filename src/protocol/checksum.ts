// go-plugin's SecureConfig: hash the plugin's executable before starting it and refuse a mismatch.
import {createHash} from 'node:crypto'
import {accessSync, constants, createReadStream} from 'node:fs'
import path from 'node:path'
import {PluginError} from '../sample/contract.js'

/** The file a command runs: itself when it names a path, else the first match on PATH. */
export function resolveCommand(command: string): string {
  if (command.includes('/') || command.includes('\\')) return path.resolve(command)
  // On Windows a command may name its extension (node.exe) or leave it to PATHEXT (node).
  const extensions = process.platform === 'win32' ? ['', ...(process.env.PATHEXT ?? '.EXE').split(';')] : ['']
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const ext of extensions) {
      const candidate = path.join(dir, command + ext)
      try {
        accessSync(candidate, constants.X_OK)
        return candidate
      } catch {
        // Not here: keep looking.
      }
    }
  }
  throw new PluginError('PLUGIN_NOT_FOUND', `${command} is not on PATH: give the plugin's path`)
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** Throws CHECKSUM_MISMATCH unless the command's executable has the expected SHA-256 (hex). */
export async function verifyChecksum(command: string, expectedHex: string): Promise<void> {
  const file = resolveCommand(command)
  const actual = await sha256File(file).catch((cause: Error) => {
    throw new PluginError('CHECKSUM_UNREADABLE', `error verifying checksum: cannot read ${file}: ${cause.message}`, {cause})
  })
  if (actual !== expectedHex.toLowerCase()) {
    throw new PluginError('CHECKSUM_MISMATCH', `checksums did not match: ${file} has SHA-256 ${actual}, expected ${expectedHex.toLowerCase()}; refusing to start it`)
  }
}
