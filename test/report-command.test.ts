import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {execa} from 'execa'
import {afterAll, describe, expect, it} from 'vitest'
import {CLAIMS} from '../src/report/claims/index.js'
import {withoutUntriedHtmlRows, withoutUntriedRows} from './support/reports.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const fixtures = path.join(root, 'test', 'fixtures', 'reports')
const bin = path.join(root, 'bin', 'run.js')
const temp = mkdtempSync(path.join(tmpdir(), 'plugin-survey-report-'))
afterAll(() => rmSync(temp, {recursive: true, force: true}))
// The CLI must not append to the summary of the job running these tests.
const env = {GITHUB_STEP_SUMMARY: '', NO_COLOR: '1', NODE_ENV: 'production'}

const report = (args: string[], options: {env?: Record<string, string>} = {}) =>
  execa(process.execPath, [bin, 'report', ...args], {cwd: fixtures, reject: false, env: {...env, ...options.env}})

/** oclif's error text as one line: it wraps messages to the terminal width. */
const errorText = (stderr: string) => stderr.replace(/\n\s*›\s*/g, ' ').replace(/ +/g, ' ')
const expected = (name: string) => readFileSync(path.join(fixtures, name), 'utf8')
// The snapshots leave out the matrix lines of rows no machine tried (report-render.test.ts checks those).
const tried = withoutUntriedRows
const threeFiles = ['--from', 'linux.json', '--from', 'darwin.json', '--from', 'windows.json']

describe('plugin-survey report --from', () => {
  it('merges three machines into the markdown report on stdout', async () => {
    const run = await report(threeFiles)
    expect(run.exitCode).toBe(0)
    expect(tried(`${run.stdout}\n`)).toBe(expected('merged.report.md'))
  })

  it('appends the report to $GITHUB_STEP_SUMMARY, after what the step wrote before', async () => {
    const summary = path.join(temp, 'summary.md')
    writeFileSync(summary, '# earlier step output\n\n')
    const out = path.join(temp, 'report.md')
    const run = await report([...threeFiles, '--out', out], {env: {GITHUB_STEP_SUMMARY: summary}})
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toBe('')
    expect(tried(readFileSync(out, 'utf8'))).toBe(expected('merged.report.md'))
    expect(tried(readFileSync(summary, 'utf8'))).toBe(`# earlier step output\n\n${expected('merged.report.md')}`)
  })

  it("shortens the report to fit what is left of the step's 1 MiB job summary", async () => {
    const summary = path.join(temp, 'full-summary.md')
    const earlier = 'x'.repeat(1024 * 1024 - 12_000)
    writeFileSync(summary, earlier)
    const run = await report([...threeFiles, '--out', path.join(temp, 'full.md')], {env: {GITHUB_STEP_SUMMARY: summary}})
    expect(run.exitCode).toBe(0)
    const appended = readFileSync(summary, 'utf8').slice(earlier.length)
    expect(Buffer.byteLength(earlier) + Buffer.byteLength(appended)).toBeLessThanOrEqual(1024 * 1024)
    expect(appended).toContain(`## Payload scaling\n\n_Left out to keep this step's job summary under GitHub's 1 MiB limit: the full report is in ${path.join(temp, 'full.md')}._`)
    expect(appended).toContain("## The survey's claims")
  })

  it('reads back its own --json document, machines and all', async () => {
    const json = await report([...threeFiles, '--json'])
    expect(json.exitCode).toBe(0)
    const document = JSON.parse(json.stdout) as {schemaVersion: number; machines: {host: {os: string}}[]; claims: {verdict: string}[]}
    expect(document.schemaVersion).toBe(3)
    expect(document.machines.map((m) => m.host.os)).toEqual(['linux', 'darwin', 'win32'])
    expect(document.claims).toHaveLength(CLAIMS.length)
    const saved = path.join(temp, 'merged.json')
    writeFileSync(saved, json.stdout)
    const again = await report(['--from', saved])
    expect(again.stdout.replaceAll(saved, 'linux.json, darwin.json, windows.json')).toBe((await report(threeFiles)).stdout.replace(/\| read from \| linux\.json \| darwin\.json \| windows\.json \|/, '| read from | linux.json, darwin.json, windows.json | linux.json, darwin.json, windows.json | linux.json, darwin.json, windows.json |'))
  })

  it('combines a bench file and a crash-test file of one machine into one column', async () => {
    const linux = JSON.parse(expected('linux.json')) as Record<string, unknown>
    const benchFile = path.join(temp, 'bench.json')
    const crashFile = path.join(temp, 'crash.json')
    writeFileSync(benchFile, JSON.stringify({...linux, crash: undefined, hotReload: undefined}))
    writeFileSync(crashFile, JSON.stringify({...linux, bench: undefined}))
    const run = await report(['--from', benchFile, '--from', crashFile])
    expect(run.exitCode).toBe(0)
    expect(tried(`${run.stdout}\n`)).toBe(expected('linux.report.md').replace('| read from | linux.json |', `| read from | ${benchFile}, ${crashFile} |`))
  })

  it('writes github-action-benchmark input with --format benchmark-action', async () => {
    const out = path.join(temp, 'benchmark.json')
    const run = await report(['--from', 'linux.json', '--format', 'benchmark-action', '--out', out])
    expect(run.exitCode).toBe(0)
    const entries = JSON.parse(readFileSync(out, 'utf8')) as {name: string; unit: string; value: number}[]
    expect(entries[0]).toMatchObject({name: 'linux-x64 in-process call p50', unit: 'ns', value: 52})
  })

  it('exits 2 naming a missing file, with and without --json', async () => {
    const run = await report(['--from', 'nowhere.json'])
    expect(run.exitCode).toBe(2)
    expect(errorText(run.stderr)).toContain('cannot read nowhere.json (ENOENT). Give the path of a file saved with `plugin-survey bench --json > FILE`.')
    const json = await report(['--from', 'nowhere.json', '--json'])
    expect(json.exitCode).toBe(2)
    expect(JSON.parse(json.stdout)).toMatchObject({error: {message: expect.stringContaining('cannot read nowhere.json (ENOENT)')}})
  })

  it('exits 2 when asked to measure and to read files at once', async () => {
    const run = await report(['--from', 'linux.json', '--quick'])
    expect(run.exitCode).toBe(2)
    expect(errorText(run.stderr)).toContain('--from=linux.json cannot also be provided when using --quick')
  })

  it('exits 2 for a file of another schemaVersion, and for a file that is not a report', async () => {
    const future = path.join(temp, 'future.json')
    writeFileSync(future, JSON.stringify({...JSON.parse(expected('linux.json')), schemaVersion: 4}))
    const run = await report(['--from', future])
    expect(run.exitCode).toBe(2)
    expect(errorText(run.stderr)).toContain(`${future}: schemaVersion 4, but this plugin-survey reads schemaVersion 3 (and 2, which it converts). Re-run the measurement with this version of plugin-survey.`)
    const notJson = path.join(temp, 'notes.txt')
    writeFileSync(notJson, 'hello')
    const bad = await report(['--from', notJson])
    expect(bad.exitCode).toBe(2)
    expect(errorText(bad.stderr)).toContain(`${notJson} is not JSON`)
  })
})

describe('plugin-survey report, measuring here', () => {
  // crash-test's own tests cover its probes: here only bench runs, to keep the test short.
  it('runs a quick bench of the chosen rows and reports it, saying crash-test was not run', async () => {
    const out = path.join(temp, 'quick.md')
    const run = await report(['--quick', '--mechanism', 'in-process', '--no-crash-test', '--out', out, '--json'])
    expect(run.exitCode).toBe(0)
    const document = JSON.parse(run.stdout) as {settings: {quick: boolean; crashTest: boolean}; bench: {mechanism: string; status: string}[]; crash?: unknown}
    expect(document.settings).toMatchObject({quick: true, crashTest: false})
    expect(document.crash).toBeUndefined()
    expect(document.bench.map((r) => [r.mechanism, r.status])).toEqual([
      ['in-process', 'ok'],
      ['floor-direct-call', 'ok'],
    ])
    const markdown = readFileSync(out, 'utf8')
    expect(markdown).toMatch(/^\| `in-process` \| ok \|/m)
    expect(markdown).toContain('_Not measured in this run: the crash matrix. Run `plugin-survey crash-test`, or pass its `--json` output with `--from`._')
  }, 60_000)
})

describe('plugin-survey report --format html', () => {
  it('writes the HTML page of the saved run to --out, the same page the renderer gives', async () => {
    const out = path.join(temp, 'report.html')
    const run = await report(['--from', 'linux.json', '--format', 'html', '--out', out])
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toBe('')
    expect(withoutUntriedHtmlRows(readFileSync(out, 'utf8'))).toBe(expected('linux.report.html'))
  })
})
