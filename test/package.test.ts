// The SDK as a user gets it: `npm pack` this project, install the tarball in an empty folder, compile the two
// worked examples of docs/go-plugin-sdk.md against `plugin-survey/go-plugin` alone, and run them with go-plugin's
// own Go host (examples/grpc) and Go plugin (examples/bidirectional).
import {mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {execa} from 'execa'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {detectGo} from '../src/go/toolchain.js'
import {packageRoot} from '../src/paths.js'
import {buildExample, goPluginModuleDir} from './support/go-plugin-examples.js'

const go = detectGo()

/** The code blocks of a markdown file whose info string names a file: ```ts name.ts */
export function namedCodeBlocks(markdown: string): Map<string, string> {
  const blocks = new Map<string, string>()
  for (const match of markdown.matchAll(/^```ts ([\w.-]+\.ts)\n([\s\S]*?)^```$/gm)) blocks.set(match[1], match[2])
  return blocks
}

describe('the packed package', () => {
  let dir = ''
  let project = ''
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ps-pack-'))
    project = path.join(dir, 'consumer')
    mkdirSync(project)
    // dist/ is built by `npm test` before the tests run.
    await execa('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], {cwd: packageRoot})
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({name: 'consumer', private: true, type: 'module'}))
    await execa('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', path.join(dir, tarball)], {cwd: project})
  }, 240_000)
  afterAll(() => rmSync(dir, {recursive: true, force: true}))

  it('compiles the worked examples against plugin-survey/go-plugin, with its typed declarations', async () => {
    const examples = namedCodeBlocks(readFileSync(path.join(packageRoot, 'docs', 'go-plugin-sdk.md'), 'utf8'))
    expect([...examples.keys()]).toEqual(['kv-plugin.ts', 'counter-host.ts'])
    for (const [name, code] of examples) {
      expect(code).not.toMatch(/from '\.\.?\//)
      writeFileSync(path.join(project, name), code)
    }
    writeFileSync(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, outDir: 'out', types: ['node'], typeRoots: [path.join(packageRoot, 'node_modules', '@types')]},
        files: [...examples.keys()],
      }),
    )
    const tsc = await execa(process.execPath, [path.join(packageRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], {reject: false})
    expect(tsc.stdout).toBe('')
    expect(tsc.exitCode).toBe(0)
  })

  describe.skipIf(!go.supported)(`run with go-plugin's own examples${go.supported ? '' : ` (skipped: ${go.reason})`}`, () => {
    let moduleDir = ''
    beforeAll(async () => {
      moduleDir = await goPluginModuleDir()
    })

    it("worked example 1: go-plugin's examples/grpc host stores and reads through the TypeScript plugin", async () => {
      const host = await buildExample('grpc')
      const cwd = path.join(dir, 'kv')
      mkdirSync(cwd)
      const env = {KV_PROTO: 'grpc', KV_PROTO_FILE: path.join(moduleDir, 'examples', 'grpc', 'proto', 'kv.proto'), KV_PLUGIN: `"${process.execPath}" "${path.join(project, 'out', 'kv-plugin.js')}"`}
      const put = await execa(host, ['put', 'hello', 'world'], {cwd, env, reject: false, stdin: 'ignore', timeout: 60_000})
      expect(put.exitCode).toBe(0)
      // The Go host re-logged the plugin's hclog line at its level, with its fields, under the plugin's name.
      const stored = String(put.stderr).split('\n').find((line) => / \[INFO\] +plugin\.sh: stored: /.test(line))
      // go-plugin re-logs the fields in no set order.
      expect(stored).toMatch(/ key=hello( |$)/)
      expect(stored).toMatch(/ bytes=5( |$)/)
      const get = await execa(host, ['get', 'hello'], {cwd, env, reject: false, stdin: 'ignore', timeout: 60_000})
      expect(get.stdout).toBe('world\n\nWritten from a TypeScript plugin')
      expect(get.exitCode).toBe(0)
    }, 300_000)

    it("worked example 2: the TypeScript host counts through go-plugin's examples/bidirectional plugin, serving its AddHelper", async () => {
      const plugin = await buildExample('bidirectional/plugin-go-grpc')
      const cwd = path.join(dir, 'counter')
      mkdirSync(cwd)
      const run = await execa(process.execPath, [path.join(project, 'out', 'counter-host.js'), plugin, path.join(moduleDir, 'examples', 'bidirectional', 'proto', 'kv.proto')], {cwd, reject: false, timeout: 60_000})
      expect(run.stdout).toBe('42')
      // The Go plugin's own hclog lines, re-logged by the host's textLogger.
      expect(run.stderr).toMatch(new RegExp(`\\[DEBUG\\] ${path.basename(plugin)}: plugin address address=\\S+ network=unix`))
      expect(run.exitCode).toBe(0)
    }, 300_000)
  })
})
