import {readFileSync} from 'node:fs'
import path from 'node:path'
import {writeFileAtomic} from '../core/atomic-write.js'
import {packageRoot} from '../paths.js'
import {hostInfo} from './host.js'
import {SCHEMA_VERSION, type SurveyReport} from '../results/types.js'

export function toolInfo(): {name: string; version: string} {
  const pkg = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as {name: string; version: string}
  return {name: pkg.name, version: pkg.version}
}

export function newReport(settings?: Record<string, unknown>): SurveyReport {
  return {schemaVersion: SCHEMA_VERSION, tool: toolInfo(), host: hostInfo(), startedAt: new Date().toISOString(), settings}
}

/** Writes the report atomically (a crash mid-write never leaves half a file): called after every row. */
export function saveReport(file: string, report: SurveyReport): void {
  writeFileAtomic(file, `${JSON.stringify(report, null, 2)}\n`)
}
