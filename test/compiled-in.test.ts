import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {artifactPath, buildCompiledIn, compiledIn} from '../src/mechanisms/compiled-in.js'
import {distPath, samplePluginPath} from '../src/paths.js'
import {expectedMessage} from '../src/sample/contract.js'

const dir = mkdtempSync(path.join(os.tmpdir(), 'plugin-survey-compiled-in-'))
const plugins: string[] = []
afterAll(() => {
  // The bundles of these throwaway plugins would otherwise pile up in the cache, run after run.
  for (const plugin of plugins) {
    const artifact = artifactPath(plugin)
    rmSync(artifact, {force: true})
    rmSync(artifact.replace(/\.mjs$/, '.entry.mjs'), {force: true})
  }
  rmSync(dir, {recursive: true, force: true})
})

/** A copy of a fixture plugin at `<dir>/<folder>/plugins/plugin.js`: folders of one length, so the paths end alike. */
function pluginAt(folder: string, fixture: string): string {
  const file = path.join(dir, folder, 'plugins', 'plugin.js')
  mkdirSync(path.dirname(file), {recursive: true})
  copyFileSync(distPath('fixtures', 'node', fixture), file)
  plugins.push(file)
  return file
}

describe('compiled-in bundle cache', () => {
  it('gives two plugins whose paths end alike their own bundles, and each answers as itself', async () => {
    const right = pluginAt('one', 'sample-plugin.js')
    const wrong = pluginAt('two', 'wrong-answer-plugin.js')
    // The paths share their last 18 bytes (24 base64url characters): the old naming put both in one bundle.
    expect(Buffer.from(right).toString('base64url').slice(-24)).toBe(Buffer.from(wrong).toString('base64url').slice(-24))
    expect(artifactPath(right)).not.toBe(artifactPath(wrong))
    expect(path.basename(artifactPath(samplePluginPath))).toBe('host-sample.mjs')

    const first = await compiledIn.load({pluginPath: right})
    const second = await compiledIn.load({pluginPath: wrong})
    expect((await first.call({number: 7})).message).toBe(expectedMessage(7))
    expect((await second.call({number: 7})).message).toBe('My custom code prints PluginInputNumber: 8')
    await first.dispose()
    await second.dispose()
  })

  it('survives parallel builds of one plugin: each load gets a whole bundle, and no temporary file is left', async () => {
    const plugin = pluginAt('par', 'sample-plugin.js')
    const builds = await Promise.all(Array.from({length: 4}, () => buildCompiledIn(plugin)))
    expect(new Set(builds.map((b) => b.artifact)).size).toBe(1)
    const loaded = await Promise.all(builds.map(() => compiledIn.load({pluginPath: plugin, fresh: true})))
    for (const plugin of loaded) expect((await plugin.call({number: 7})).message).toBe(expectedMessage(7))
    const artifact = builds[0]!.artifact
    expect(existsSync(artifact)).toBe(true)
    expect(existsSync(artifact.replace(/\.mjs$/, '.entry.mjs'))).toBe(true)
    expect(readdirSync(path.dirname(artifact)).filter((f) => f.includes(`.${process.pid}-`) && f.endsWith('.tmp.mjs'))).toEqual([])
  })
})
