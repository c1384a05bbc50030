import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {execa} from 'execa'
import {describe, expect, it} from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const read = (file: string) => readFileSync(path.join(root, file), 'utf8')

const PAGES = ['docs/report.md', 'docs/commands.md', 'docs/rows.md', 'docs/crash-test.md', 'docs/go-plugin-sdk.md', 'docs/probe.md', 'docs/mechanisms/in-process.md', 'docs/mechanisms/compiled-in.md', 'docs/mechanisms/worker-thread.md', 'docs/mechanisms/child-rpc.md']

/** The targets of relative markdown links, without their #fragment. */
function localLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((href) => !/^[a-z]+:/.test(href) && !href.startsWith('#')).map((href) => href.split('#')[0]!)
}

describe('docs', () => {
  it('docs/commands.md is what `oclif readme` generates from the commands now (run `npm run docs` when this fails)', async () => {
    const check = await execa(process.execPath, [path.join(root, 'scripts', 'command-docs.mjs'), '--check'], {cwd: root, reject: false})
    expect(check.stderr).toBe('')
    expect(check.exitCode).toBe(0)
    expect(read('docs/commands.md')).toContain('## `plugin-survey report`')
  }, 60_000)

  it.each([...PAGES, 'README.md'])('%s links only to files that exist', (page) => {
    const missing = localLinks(read(page)).filter((href) => !existsSync(path.resolve(path.dirname(path.join(root, page)), href)))
    expect(missing).toEqual([])
  })

  it('the README keeps its two set-up commands first and shows the report in CI', () => {
    const readme = read('README.md')
    expect(readme.startsWith('# plugin-survey\n\n```sh\nnpm ci && npx plugin-survey bench ')).toBe(true)
    expect(readme).toContain('## Report in CI')
    expect(readme).toContain('- run: npx plugin-survey report --quick --out report.md --json > survey.json')
  })
})
