// The layering check of `npm test` (.dependency-cruiser.cjs): it passes on src/, and it fails, naming the rule
// and the import, on a copy of src/ in a temporary folder given imports that run back up the layers or in a circle.
import {appendFileSync, cpSync, mkdtempSync, rmSync, symlinkSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {execa} from 'execa'
import {afterAll, describe, expect, it} from 'vitest'
import {packageRoot} from '../src/paths.js'

const depcruise = path.join(packageRoot, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs')
const cruise = (cwd: string) => execa(process.execPath, [depcruise, 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], {cwd, reject: false})

const copy = mkdtempSync(path.join(os.tmpdir(), 'ps-layers-'))
afterAll(() => rmSync(copy, {recursive: true, force: true}))

describe('the layers of src/', () => {
  it('hold: no cycle, no import running back up', async () => {
    const run = await cruise(packageRoot)
    expect(run.stdout).toContain('no dependency violations found')
    expect(run.exitCode).toBe(0)
  })

  it('fail on a copy with bad imports, naming each broken rule and the import', async () => {
    for (const part of ['src', 'fixtures/node', 'tsconfig.json', '.dependency-cruiser.cjs', 'package.json']) cpSync(path.join(packageRoot, part), path.join(copy, part), {recursive: true})
    symlinkSync(path.join(packageRoot, 'node_modules'), path.join(copy, 'node_modules'), 'junction')
    const bad: Record<string, string> = {
      'src/transport/types.ts': "import type {Row} from '../mechanisms/row.js'",
      'src/measure/bench.ts': "import {formatBytes} from '../render/format.js'",
      'src/report/merge.ts': "import {formatNs} from '../render/format.js'",
      'src/render/style.ts': "import {quantile} from '../measure/stats.js'",
      'src/results/identity.ts': "import type {SurveyReport} from './types.js'",
      'src/report/read.ts': "import Report from '../commands/report.js'",
      'src/render/format.ts': "import {probePlugin} from '../protocol/conformance.js'\nexport const probe = probePlugin",
    }
    for (const [file, line] of Object.entries(bad)) appendFileSync(path.join(copy, file), `\n${line}\n`)
    const run = await cruise(copy)
    expect(run.exitCode).not.toBe(0)
    const errors = `${run.stdout}${run.stderr}`
    expect(errors).toMatch(/error transport-not-up: src\/transport\/types\.ts → src\/mechanisms\/row\.ts/)
    expect(errors).toMatch(/error measure-not-up: src\/measure\/bench\.ts → src\/render\/format\.ts/)
    expect(errors).toMatch(/error report-not-up: src\/report\/merge\.ts → src\/render\/format\.ts/)
    expect(errors).toMatch(/error render-only-reads-reports: src\/render\/style\.ts → src\/measure\/stats\.ts/)
    expect(errors).toMatch(/error no-circular: src\/results\/(identity|types)\.ts → /)
    expect(errors).toMatch(/error entry-points-not-imported: src\/report\/read\.ts → src\/commands\/report\.ts/)
    expect(errors).toMatch(/error render-only-protocol-types: src\/render\/format\.ts → src\/protocol\/conformance\.ts/)
    // A type the renderer only names is no breach: probe's table names the conformance report's type.
    expect(errors).not.toMatch(/src\/render\/probe-table\.ts/)
  })
})
