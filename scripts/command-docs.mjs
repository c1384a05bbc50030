#!/usr/bin/env node
// Writes docs/commands.md, the command reference, with `oclif readme` from the built commands (run `npm run build`
// first: `npm run docs` does). With --check it writes nothing and exits 1 when docs/commands.md is stale.
import {execFileSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const target = path.join(root, 'docs', 'commands.md')
const check = process.argv.includes('--check')

const HEADER = `# Command reference

Every command of plugin-survey, with its flags and examples. Generated from the commands' own help by
\`npm run docs\` (\`oclif readme\`); a test fails when it is stale, so do not edit it by hand. The JSON that
\`--json\` prints is described in [schema.md](schema.md); the markdown report in [report.md](report.md).

<!-- commands -->
<!-- commandsstop -->
`

// oclif reads a manifest instead of the commands when one exists: a stale one hides commands.
if (existsSync(path.join(root, 'oclif.manifest.json'))) {
  console.error('oclif.manifest.json exists and would hide commands added since it was written: delete it (it is never committed).')
  process.exit(1)
}

const work = mkdtempSync(path.join(tmpdir(), 'plugin-survey-docs-'))
try {
  const file = path.join(work, 'commands.md')
  writeFileSync(file, HEADER)
  const oclif = path.join(path.dirname(createRequire(import.meta.url).resolve('oclif/package.json')), 'bin', 'run.js')
  // A fixed width keeps the wrapping of usage lines the same on every machine.
  try {
    execFileSync(process.execPath, [oclif, 'readme', '--readme-path', file, '--no-source-links'], {
      cwd: root,
      env: {...process.env, COLUMNS: '120', NODE_ENV: 'production'},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
  } catch (error) {
    console.error(`oclif readme failed:\n${error.stderr ?? error.message}`)
    process.exit(1)
  }
  const generated = readFileSync(file, 'utf8')
  if (check) {
    // A Windows checkout may have turned LF into CRLF: compare the text, not the line endings.
    const current = existsSync(target) ? readFileSync(target, 'utf8').replace(/\r\n/g, '\n') : ''
    if (current !== generated) {
      console.error('docs/commands.md is stale: run `npm run docs` and commit it.')
      process.exit(1)
    }
  } else writeFileSync(target, generated)
} finally {
  rmSync(work, {recursive: true, force: true})
}
