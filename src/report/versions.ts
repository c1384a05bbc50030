// The versions of the libraries the rows measure, read where the rows get them: the @grpc/grpc-js npm installed
// (under the TypeScript go-plugin host and plugin) and the modules fixtures/go/go.mod requires (the Go rows).
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {fixturePath} from '../paths.js'
import type {LibraryVersions} from '../results/types.js'

function installedVersion(pkg: string): string | null {
  try {
    const manifest = createRequire(import.meta.url).resolve(`${pkg}/package.json`)
    return (JSON.parse(readFileSync(manifest, 'utf8')) as {version?: string}).version ?? null
  } catch {
    return null
  }
}

/** The version a go.mod requires of a module (a tidy go.mod lists every module its build selects), or null. */
export function requiredVersion(gomod: string, module: string): string | null {
  const name = module.replaceAll('.', '\\.')
  return new RegExp(`^\\s*(?:require\\s+)?${name}\\s+(v\\S+)`, 'm').exec(gomod)?.[1] ?? null
}

export function libraryVersions(): LibraryVersions {
  let gomod = ''
  try {
    gomod = readFileSync(fixturePath('go', 'go.mod'), 'utf8')
  } catch {
    // An install without fixtures/go: no Go row can be built either.
  }
  return {
    grpcJs: installedVersion('@grpc/grpc-js'),
    goPlugin: requiredVersion(gomod, 'github.com/hashicorp/go-plugin'),
    grpcGo: requiredVersion(gomod, 'google.golang.org/grpc'),
    wazero: requiredVersion(gomod, 'github.com/tetratelabs/wazero'),
  }
}
