// The Go toolchain as plugin-survey uses it: detect it, and build fixtures/go packages into a cache keyed by
// a hash of the sources, the Go version and the build's own arguments.
import {lastLinesOf} from '../transport/stderr-buffer.js'
import {temporaryFor} from '../core/atomic-write.js'
import {execFileSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import type {Support} from '../core/support.js'
import {cacheDir, fixturePath} from '../paths.js'
import {goVersion} from './version.js'
import {PluginError} from '../sample/contract.js'

export const goModuleDir = fixturePath('go')

/** The oldest Go that builds fixtures/go: the `go` line of its go.mod, raised by the newest of its modules. */
export const MIN_GO: readonly number[] = (() => {
  const line = /^go (\d+)\.(\d+)/m.exec(readFileSync(path.join(goModuleDir, 'go.mod'), 'utf8'))
  if (!line) throw new Error(`${path.join(goModuleDir, 'go.mod')} has no go line`)
  return [Number(line[1]), Number(line[2])]
})()

function atLeast(version: string, [major, minor]: readonly number[]): boolean {
  const [a = 0, b = 0] = version.split('.').map((p) => Number.parseInt(p, 10))
  return a > major || (a === major && b >= minor)
}

/** Whether Go rows can run here; the reason says what to install when they cannot. */
export function detectGo(min: readonly number[] = MIN_GO): Support {
  const version = goVersion()
  if (version === null) return {supported: false, reason: `go not found on PATH: install Go >= ${min.join('.')} to measure the go-* rows`}
  if (!atLeast(version, min)) return {supported: false, reason: `go ${version} is too old: install Go >= ${min.join('.')} to measure this row`}
  return {supported: true, detail: `go ${version}`}
}

/** `go env` values by name (null when Go cannot be run). */
export function goEnv(names: readonly string[]): Record<string, string> | null {
  try {
    const out = execFileSync('go', ['env', ...names], {encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'ignore']})
    const values = out.split('\n')
    return Object.fromEntries(names.map((name, i) => [name, values[i]?.trim() ?? '']))
  } catch {
    return null
  }
}

/** Every file of the Go module that can change a build: its go.mod, go.sum, Go sources and protos. */
function sourceFiles(dir = goModuleDir): string[] {
  const files: string[] = []
  for (const entry of readdirSync(dir).sort()) {
    const full = path.join(dir, entry)
    if (statSync(full).isDirectory()) {
      if (entry !== 'bin' && !entry.startsWith('.')) files.push(...sourceFiles(full))
    } else if (/\.(go|mod|sum|proto|s|c|h)$/.test(entry)) files.push(full)
  }
  return files
}

export interface GoBuildOptions {
  /** The package to build, relative to the module folder (e.g. `./stdlib/host`). */
  pkg: string
  /** A module nested in fixtures/go to build in, relative to it (e.g. `coupling`); fixtures/go itself by default. */
  dir?: string
  /** The output file's name inside the cache entry. */
  output: string
  /** `plugin` for a stdlib plugin .so, `c-shared` for a wasip1 reactor module; an executable by default. */
  buildmode?: 'plugin' | 'exe' | 'c-shared'
  tags?: string[]
  ldflags?: string
  gcflags?: string
  /** An alternative go.mod, relative to the module folder (`go build -modfile`): a build against other module versions. */
  modfile?: string
  env?: Record<string, string>
}

export interface GoBuild {
  binary: string
  buildMs: number
  cached: boolean
}

/** Builds with `go build` unless an identical build is cached; `buildMs` is the build's own duration. */
export async function goBuild(options: GoBuildOptions): Promise<GoBuild> {
  const support = detectGo()
  if (!support.supported) throw new PluginError('GO_MISSING', support.reason)
  const args = ['build', '-trimpath']
  if (options.buildmode !== undefined && options.buildmode !== 'exe') args.push(`-buildmode=${options.buildmode}`)
  if (options.tags?.length) args.push(`-tags=${options.tags.join(',')}`)
  if (options.ldflags) args.push(`-ldflags=${options.ldflags}`)
  if (options.gcflags) args.push(`-gcflags=${options.gcflags}`)
  if (options.modfile) args.push(`-modfile=${options.modfile}`)
  const hash = createHash('sha256')
  hash.update(JSON.stringify({go: goVersion(), platform: process.platform, arch: process.arch, args, options}))
  for (const file of sourceFiles()) hash.update(path.relative(goModuleDir, file)).update(readFileSync(file))
  const key = hash.digest('hex').slice(0, 16)
  const dir = cacheDir('go', key)
  const windowsExe = process.platform === 'win32' && (options.buildmode ?? 'exe') === 'exe' && options.env?.GOOS === undefined
  const binary = path.join(dir, windowsExe ? `${options.output}.exe` : options.output)
  const timing = path.join(dir, `${options.output}.build-ms`)
  if (existsSync(binary) && existsSync(timing)) return {binary, buildMs: Number(readFileSync(timing, 'utf8')), cached: true}
  const temporary = temporaryFor(binary)
  // Imported only for a build: a cached one, the usual case, starts a runner without it.
  const {execa} = await import('execa')
  const started = performance.now()
  const result = await execa('go', [...args, '-o', temporary, options.pkg], {
    cwd: path.join(goModuleDir, options.dir ?? '.'),
    // go.mod and go.sum are committed complete: a build never rewrites them (builds run in parallel).
    env: {GOFLAGS: '-mod=readonly', ...options.env},
    reject: false,
    stdin: 'ignore',
  })
  const buildMs = Math.round(performance.now() - started)
  if (result.exitCode !== 0) {
    throw new PluginError('GO_BUILD_FAILED', `go build ${options.pkg} failed: ${lastLinesOf(result.stderr, 6)}`)
  }
  renameSync(temporary, binary)
  writeFileSync(timing, String(buildMs))
  return {binary, buildMs, cached: false}
}

/** Runs `build` with progress messages: a first Go build can take tens of seconds, a cached one none. */
export async function withBuildProgress<T extends {buildMs: number; cached: boolean}>(build: () => Promise<T>, progress?: (message: string) => void): Promise<T> {
  progress?.('go build (reused when the sources and Go are unchanged)')
  const built = await build()
  progress?.(built.cached ? 'measuring (build cached)' : `measuring (built in ${(built.buildMs / 1000).toFixed(1)} s)`)
  return built
}
