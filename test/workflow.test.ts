import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {execa, execaSync} from 'execa'
import {describe, expect, it} from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const workflowsDir = path.join(root, '.github', 'workflows')
const workflows = readdirSync(workflowsDir).filter((name) => /\.ya?ml$/.test(name)).map((name) => path.join('.github', 'workflows', name))
// The same version .ci/run installs.
const ACTIONLINT_MODULE = 'github.com/rhysd/actionlint/cmd/actionlint@v1.7.12'

function found(command: string, args: string[]): string | undefined {
  try {
    return execaSync(command, args, {reject: false, stdin: 'ignore'}).exitCode === 0 ? command : undefined
  } catch {
    return undefined
  }
}

/** actionlint from PATH, else the one `go install` put in GOPATH/bin, else `go run` of the pinned version. */
function actionlint(): {command: string; args: string[]} | {skip: string} {
  if (found('actionlint', ['-version'])) return {command: 'actionlint', args: []}
  if (!found('go', ['version'])) return {skip: 'neither actionlint nor go is on PATH: install Go (or actionlint) to validate the workflows'}
  const gopath = execaSync('go', ['env', 'GOPATH']).stdout.trim()
  const installed = path.join(gopath, 'bin', process.platform === 'win32' ? 'actionlint.exe' : 'actionlint')
  if (existsSync(installed)) return {command: installed, args: []}
  return {command: 'go', args: ['run', ACTIONLINT_MODULE]}
}

const tool = actionlint()

describe('GitHub workflows', () => {
  it('exist', () => {
    expect(workflows).toContain(path.join('.github', 'workflows', 'survey.yml'))
  })

  it.skipIf('skip' in tool)(`pass actionlint${'skip' in tool ? ` (skipped: ${tool.skip})` : ''}`, async () => {
    if ('skip' in tool) return
    const run = await execa(tool.command, [...tool.args, '-no-color', ...workflows], {cwd: root, reject: false})
    expect(`${run.stdout}${run.stderr}`.trim()).toBe('')
    expect(run.exitCode).toBe(0)
  }, 300_000)

  it.skipIf('skip' in tool)(`the README's "Report in CI" workflow passes actionlint${'skip' in tool ? ` (skipped: ${tool.skip})` : ''}`, async () => {
    if ('skip' in tool) return
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8')
    const section = readme.slice(readme.indexOf('## Report in CI'))
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1]
    expect(yaml).toContain('npx plugin-survey report')
    const project = mkdtempSync(path.join(tmpdir(), 'plugin-survey-readme-'))
    mkdirSync(path.join(project, '.github', 'workflows'), {recursive: true})
    writeFileSync(path.join(project, '.github', 'workflows', 'report.yml'), yaml!)
    const run = await execa(tool.command, [...tool.args, '-no-color', path.join('.github', 'workflows', 'report.yml')], {cwd: project, reject: false})
    rmSync(project, {recursive: true, force: true})
    expect(`${run.stdout}${run.stderr}`.trim()).toBe('')
    expect(run.exitCode).toBe(0)
  }, 300_000)

  it('test and report on Linux, macOS and Windows, then merge the machines into the job summary', () => {
    const survey = readFileSync(path.join(workflowsDir, 'survey.yml'), 'utf8')
    expect(survey).toContain('os: [ubuntu-latest, macos-latest, windows-latest]')
    expect(survey).toContain('node-version: 20')
    expect(survey).toContain('uses: actions/setup-go@v5')
    expect(survey).toContain('run: .ci/run')
    expect(survey).toContain('npx plugin-survey report --quick --out "report-${RUNNER_OS}.md" --json > "survey-${RUNNER_OS}.json"')
    expect(survey).toContain('uses: actions/upload-artifact@v4')
    expect(survey).toContain('uses: actions/download-artifact@v4')
    expect(survey).toContain('npx plugin-survey report "${from[@]}" --out report.md')
  })
})

describe('the merged report artifact', () => {
  it('carries the HTML report beside the markdown', () => {
    const survey = readFileSync(path.join(workflowsDir, 'survey.yml'), 'utf8')
    expect(survey).toContain('npx plugin-survey report "${from[@]}" --format html --out report.html --no-step-summary')
    expect(survey).toMatch(/ {12}report\.md\n {12}report\.html\n/)
  })
})
