// Every row declares the facts the commands read; this walks the registry and names any row that lacks one.
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {registryProblems} from '../src/mechanisms/check.js'
import {allRows, floors, mechanisms} from '../src/mechanisms/index.js'
import {childGrpc} from '../src/mechanisms/child-grpc.js'
import {inProcess} from '../src/mechanisms/in-process.js'
import type {Row} from '../src/mechanisms/row.js'
import {missingPluginEntry, packageRoot, pluginBundle, pluginEntry} from '../src/paths.js'

const docsDir = path.join(packageRoot, 'docs', 'mechanisms')

describe('the registry', () => {
  it('has every fact bench, crash-test, report and list need, for every row', () => {
    expect(registryProblems({mechanisms, floors, docsDir})).toEqual([])
  })

  it('lists every row that a file of src/mechanisms exports', async () => {
    const dir = path.join(packageRoot, 'src', 'mechanisms')
    const exported: string[] = []
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const module = (await import(path.join(dir, file))) as Record<string, unknown>
      for (const value of Object.values(module)) {
        const row = value as Partial<Row>
        if (typeof row === 'object' && row !== null && typeof row.id === 'string' && row.runs !== undefined && typeof row.detect === 'function') exported.push(row.id)
      }
    }
    expect(exported.filter((id) => !allRows.some((row) => row.id === id))).toEqual([])
    expect(new Set(exported).size).toBe(allRows.length)
  })

  it('names the row and the fact when one is missing or wrong', () => {
    const {faults} = inProcess
    const broken: Row[] = [
      {...inProcess, id: 'no-page', platforms: {...inProcess.platforms, sources: []}},
      {...inProcess, id: 'bad-floor', floors: {call: 'floor-nowhere'}, versus: ['floor-spawn'], faults: {...faults, throw: {...faults.throw!, source: ''}, 'eat-disk': faults.throw!}} as Row,
      {...inProcess, id: 'dies-well', faults: {reject: {...faults.reject!, recovered: true}}} as Row,
      {id: 'nothing', family: 'node', title: 'a row with no capability', runs: inProcess.runs, platforms: inProcess.platforms, detect: inProcess.detect},
      {...inProcess, id: 'scales-mutely', scale: {instances: {supported: false, reason: ' '}, calls: {supported: true}}} as Row,
    ]
    expect(registryProblems({mechanisms: [...mechanisms, ...broken], floors, docsDir})).toEqual([
      'no-page: platforms.sources is empty: give the URL where its platform support is documented (report\'s platform matrix)',
      'no-page: no docs page: write docs/mechanisms/no-page.md',
      'bad-floor: floors.call names floor-nowhere, which is not a floor row of the registry (bench\'s ratios)',
      'bad-floor: versus names floor-spawn, which is not another mechanism of the registry (bench\'s paired ratios)',
      'bad-floor × throw: the expectation has no source (crash-test compares the cell with it): say where the outcome is documented',
      'bad-floor × eat-disk: an unknown fault (crash-test): add it to src/sample/faults.ts with its summary',
      'bad-floor: no docs page: write docs/mechanisms/bad-floor.md',
      'dies-well × reject: a host expected to die cannot recover, and its errorCodes are HOST_DIED or HOST_HUNG (crash-test)',
      'dies-well: no docs page: write docs/mechanisms/dies-well.md',
      'nothing: nothing bench can measure: implement Loadable, StartOnly, MeasuredByOwnHost or Demonstration',
      'nothing: no scale facts (scale): declare Scalable: whether one host holds several of its plugins at once, and whether calls in flight overlap, each with its reason where not',
      'nothing: no faults and reload, or no host to probe them in (crash-test): declare CrashProbeable, and Loadable or OwnCrashHost',
      'nothing: no docs page: write docs/mechanisms/nothing.md',
      'scales-mutely: scale.instances is not supported but gives no reason (scale shows it): say why',
      'scales-mutely: no docs page: write docs/mechanisms/scales-mutely.md',
    ])
  })

  it('wants exactly one row to be each survey subject', () => {
    const twice = {...inProcess, id: 'in-process-again', survey: [{subject: 'go-stdlib-plugin', role: 'subject'}]} as Row
    expect(registryProblems({mechanisms: [...mechanisms, twice], floors, docsDir})).toContain(
      "survey subject go-stdlib-plugin: 2 rows say they are it (go-stdlib-plugin, in-process-again); exactly one must (report's claims)",
    )
  })
})

describe('the bundled plugins of the child rows', () => {
  it('are one bundle each that takes Node\'s builtins without ESM imports, behind an entry that turns on the compile cache', () => {
    for (const entry of ['grpc-sample-plugin', 'child-rpc-plugin'] as const) {
      const start = readFileSync(pluginEntry(entry), 'utf8')
      expect(start.split('\n').slice(1)).toEqual(["process.getBuiltinModule('node:module').enableCompileCache?.()", `await import('./${entry}.bundle.js')`, ''])
      const source = readFileSync(pluginBundle(entry), 'utf8')
      expect(source.match(/^import .* from ["']node:/gm)).toBeNull()
      expect(source).toContain('process.getBuiltinModule("node:net")')
    }
  })

  it('are where the rows start them, and a missing one skips its row with the command that makes it', () => {
    expect([missingPluginEntry('grpc-sample-plugin'), missingPluginEntry('child-rpc-plugin')]).toEqual([undefined, undefined])
    const empty = mkdtempSync(path.join(os.tmpdir(), 'ps-no-bundle-'))
    try {
      expect(missingPluginEntry('grpc-sample-plugin', empty)).toEqual({
        supported: false,
        reason: `${path.join('dist', 'bundles', 'grpc-sample-plugin.js')} is missing: run \`npm run build\` in the plugin-survey folder`,
      })
    } finally {
      rmSync(empty, {recursive: true, force: true})
    }
  })

  it("write Node's compile cache when the plugin exits, for its next start to read", async () => {
    // The entry's enableCompileCache() writes to the default folder, node-compile-cache in the plugin's temp folder.
    const temp = mkdtempSync(path.join(os.tmpdir(), 'ps-compile-cache-'))
    const before = process.env.TMPDIR
    process.env.TMPDIR = temp
    try {
      const plugin = await childGrpc.load({})
      expect(await plugin.call({number: 5})).toEqual({message: 'My custom code prints PluginInputNumber: 5'})
      await plugin.dispose()
      // One folder per Node version, holding an entry per module compiled: the bundle's and the plugin module's.
      const [version] = readdirSync(path.join(temp, 'node-compile-cache'))
      expect(readdirSync(path.join(temp, 'node-compile-cache', version!)).length).toBeGreaterThanOrEqual(2)
    } finally {
      if (before === undefined) delete process.env.TMPDIR
      else process.env.TMPDIR = before
      rmSync(temp, {recursive: true, force: true})
    }
  })
})
