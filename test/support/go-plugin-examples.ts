// go-plugin's own examples, built from the go-plugin module the fixtures require, and what they need to run:
// the module's folder (for the examples' .proto files), a wrapper to start a TypeScript plugin where a Go host
// expects an executable, and a Python with the packages of examples/grpc/plugin-python.
import {chmodSync, existsSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {execa} from 'execa'
import {goBuild, goModuleDir} from '../../src/go/toolchain.js'
import {cacheDir} from '../../src/paths.js'

export async function goPluginModuleDir(): Promise<string> {
  const module = await execa('go', ['list', '-m', '-f', '{{.Dir}}', 'github.com/hashicorp/go-plugin'], {cwd: goModuleDir, env: {GOFLAGS: '-mod=mod'}})
  return String(module.stdout).trim()
}

/** Builds `examples/<name>` of the go-plugin module; the output is named after it. */
export async function buildExample(name: string): Promise<string> {
  const build = await goBuild({pkg: `github.com/hashicorp/go-plugin/examples/${name}`, output: `goplugin-example-${name.replaceAll('/', '-')}`})
  return build.binary
}

/** An executable at `file` that runs a TypeScript plugin (built to `script`) with this Node. */
export function nodeWrapper(file: string, script: string): string {
  writeFileSync(file, `#!/bin/sh\nexec "${process.execPath}" "${script}" "$@"\n`)
  chmodSync(file, 0o755)
  return file
}

/**
 * A Python 3 in a virtual environment of its own with examples/grpc/plugin-python/requirements.txt installed
 * (from PyPI, once; kept in the cache), or the reason there is none.
 */
export async function pythonForExample(moduleDir: string): Promise<{python: string} | {reason: string}> {
  const venv = cacheDir('python', 'go-plugin-example')
  const python = path.join(venv, 'bin', 'python')
  const requirements = path.join(moduleDir, 'examples', 'grpc', 'plugin-python', 'requirements.txt')
  if (existsSync(path.join(venv, 'ready'))) return {python}
  const system = await execa('python3', ['--version'], {reject: false})
  if (system.exitCode !== 0) return {reason: 'python3 not found on PATH: install Python 3 to run go-plugin\'s Python example plugin'}
  const steps: Array<[string, string[]]> = [
    ['python3', ['-m', 'venv', venv]],
    [python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', requirements]],
  ]
  for (const [file, args] of steps) {
    const run = await execa(file, args, {reject: false, timeout: 240_000})
    if (run.exitCode !== 0) return {reason: `could not install the Python example's requirements (${path.basename(file)} ${args.slice(0, 3).join(' ')}): ${String(run.stderr).split('\n').slice(-2).join(' ')}`}
  }
  writeFileSync(path.join(venv, 'ready'), '')
  return {python}
}
