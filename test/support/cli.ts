import path from 'node:path'
import {execa} from 'execa'
import {packageRoot} from '../../src/paths.js'

/** Runs the built CLI as a user would, never throwing: the test reads exitCode, stdout and stderr. */
export function runCli(args: string[], env: Record<string, string> = {}) {
  return execa(process.execPath, [path.join(packageRoot, 'bin', 'run.js'), ...args], {reject: false, env: {NO_COLOR: '', ...env}, stdin: 'ignore', timeout: 120_000})
}
