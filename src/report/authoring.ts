// The lines a plugin author and a host author write for the sample under each of the survey's Go mechanisms,
// counted from the fixtures that run in bench and crash-test. The rule: a fixture marks what an author writes
// between `// survey:plugin-author` (or `// survey:host-author`) and `// survey:end`; counted are the lines
// there that are neither blank nor only a comment, less those ending in `// survey:measurement` (what this
// project adds to measure: fault triggers, payload echo, stdio counting). Package clauses and imports are not
// counted; generated code (protoc's) is not either. Third-party modules are the imports of those files that
// are neither the standard library nor this project's own module.
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {packageRoot} from '../paths.js'

export type AuthorRole = 'plugin' | 'host'

export interface Authoring {
  mechanism: string
  pluginLines: number
  hostLines: number
  /** The files counted, relative to the package root. */
  files: string[]
  /** Modules outside the standard library the author's code imports (e.g. github.com/hashicorp/go-plugin). */
  thirdParty: string[]
}

/** The survey's three Go subjects and the files their authors' code is in. */
export const AUTHORED_FILES: Readonly<Record<string, readonly string[]>> = {
  'go-stdlib-plugin': ['fixtures/go/stdlib/plugin/main.go', 'fixtures/go/stdlib/host/load.go'],
  'go-hashicorp': ['fixtures/go/goplugin/plugin/main.go', 'fixtures/go/goplugin/goplugin.go', 'proto/sample.proto', 'fixtures/go/goplugin/host/main.go', 'fixtures/go/goplugin/host/relaunch.go'],
  'go-compiled-in': ['fixtures/go/compiledin/printer/printer.go', 'fixtures/go/compiledin/framework/framework.go', 'fixtures/go/compiledin/host/main.go'],
}

const OWN_MODULE = 'github.com/plugin-survey/'
const START = /^\s*\/\/ survey:(plugin|host)-author\s*$/
const END = /^\s*\/\/ survey:end\s*$/
const MEASUREMENT = /\/\/ survey:measurement\s*$/

/** Counts the author lines of one file's marked regions, by role. */
export function countAuthorLines(text: string): Record<AuthorRole, number> {
  const counts: Record<AuthorRole, number> = {plugin: 0, host: 0}
  let role: AuthorRole | undefined
  for (const line of text.split('\n')) {
    const start = START.exec(line)
    if (start) role = start[1] as AuthorRole
    else if (END.test(line)) role = undefined
    else if (role && line.trim() !== '' && !line.trim().startsWith('//') && !MEASUREMENT.test(line)) counts[role]++
  }
  return counts
}

/** The imports of a Go file that are neither standard library (no dot in the first element) nor this project's. */
export function thirdPartyImports(text: string): string[] {
  const block = /^import\s*\(([\s\S]*?)\)/m.exec(text)?.[1] ?? ''
  const single = [...text.matchAll(/^import\s+(?:\w+\s+)?"([^"]+)"/gm)].map((m) => m[1]!)
  const paths = [...[...block.matchAll(/"([^"]+)"/g)].map((m) => m[1]!), ...single]
  return paths.filter((p) => p.split('/')[0]!.includes('.') && !p.startsWith(OWN_MODULE))
}

/** Module path of an import path (github.com/owner/name or the first three elements of a host/…/… path). */
const moduleOf = (importPath: string) => importPath.split('/').slice(0, 3).join('/')

export function countAuthoring(root: string = packageRoot): Authoring[] {
  return Object.entries(AUTHORED_FILES).map(([mechanism, files]) => {
    const counted = files.map((file) => {
      const text = readFileSync(path.join(root, file), 'utf8')
      return {lines: countAuthorLines(text), thirdParty: file.endsWith('.go') ? thirdPartyImports(text) : []}
    })
    return {
      mechanism,
      pluginLines: counted.reduce((sum, c) => sum + c.lines.plugin, 0),
      hostLines: counted.reduce((sum, c) => sum + c.lines.host, 0),
      files: [...files],
      thirdParty: [...new Set(counted.flatMap((c) => c.thirdParty.map(moduleOf)))].sort(),
    }
  })
}
