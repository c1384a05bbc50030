// The survey's "Linux, FreeBSD and macOS only" (golang/go#19282), asked of the Go toolchain on this machine:
// `go build -buildmode=plugin` of the sample for each platform. The native target is built for real (the
// go-stdlib-plugin row opens it); for the others, the toolchain either refuses the build mode for that
// platform outright, or accepts it and only then needs a C cross-compiler, which is not the question here.
import {rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {execa} from 'execa'
import {detectGo, goEnv, goModuleDir} from '../go/toolchain.js'
import {buildStdlibPlugin, NOT_SUPPORTED, toolchainRefusal} from './go-stdlib-plugin.js'
import {EVERYWHERE, type Demonstration, type PlatformTarget, type Row} from './row.js'
import {GO_ISSUE_19282, GO_PLUGIN_PKG} from './sources.js'

/** The platforms of the documented matrix, as GOOS/GOARCH. */
export const PLUGIN_TARGETS = ['linux/amd64', 'darwin/arm64', 'freebsd/amd64', 'windows/amd64'] as const

// A cross build: what matters is whether the toolchain takes the build mode for that platform at all.
async function crossBuild(target: string): Promise<PlatformTarget> {
  const [goos, goarch] = target.split('/')
  const output = path.join(os.tmpdir(), `ps-cross-${process.pid}-${goos}-${goarch}.so`)
  const run = await execa('go', ['build', '-buildmode=plugin', '-o', output, './stdlib/plugin'], {
    cwd: goModuleDir,
    env: {GOOS: goos, GOARCH: goarch, CGO_ENABLED: '1', GOFLAGS: '-mod=readonly'},
    reject: false,
    stdin: 'ignore',
    timeout: 120_000,
  })
  rmSync(output, {force: true})
  const stderr = String(run.stderr).trim()
  const refusal = toolchainRefusal(stderr)
  if (refusal) return {target, outcome: 'refused', message: refusal}
  if (run.exitCode === 0) return {target, outcome: 'built'}
  return {target, outcome: 'accepted', message: `the toolchain took the build mode; finishing needs a C cross-compiler: ${stderr.split('\n').slice(-1)[0]}`}
}

function summary(targets: readonly PlatformTarget[]): string {
  const of = (outcome: PlatformTarget['outcome']) => targets.filter((t) => t.outcome === outcome).map((t) => t.target)
  const parts = [
    of('built').length ? `built for ${of('built').join(', ')}` : '',
    of('accepted').length ? `accepted for ${of('accepted').join(', ')}` : '',
    ...targets.filter((t) => t.outcome === 'refused').map((t) => `refused for ${t.target}: "${t.message}"`),
  ]
  return `go build -buildmode=plugin: ${parts.filter(Boolean).join('; ')}`
}

export const goPluginPlatforms: Row & Demonstration = {
  id: 'go-plugin-platforms',
  family: 'go',
  title: 'go build -buildmode=plugin of the sample for linux, darwin, freebsd and windows: which platforms the toolchain takes',
  runs: {where: 'same-thread', host: 'go', plugin: 'go'},
  platforms: {support: EVERYWHERE, note: 'asks the Go toolchain, which runs everywhere, which platforms take -buildmode=plugin', sources: [GO_PLUGIN_PKG, GO_ISSUE_19282]},
  async detect() {
    return detectGo()
  },
  async demonstrate(progress) {
    const env = goEnv(['GOHOSTOS', 'GOHOSTARCH'])
    const native = `${env?.GOHOSTOS}/${env?.GOHOSTARCH}`
    progress?.('go build -buildmode=plugin for each platform')
    const targets: PlatformTarget[] = []
    let buildMs: number | undefined
    for (const target of new Set([native, ...PLUGIN_TARGETS])) {
      if (target !== native) {
        targets.push(await crossBuild(target))
        continue
      }
      // Natively the real build (cached, shared with go-stdlib-plugin): cgo and a C compiler are part of the answer.
      try {
        const build = await buildStdlibPlugin()
        buildMs = build.buildMs
        targets.push({target, outcome: 'built'})
      } catch (error) {
        const message = (error as Error).message
        targets.push({target, outcome: message.includes(NOT_SUPPORTED) ? 'refused' : 'failed', message})
      }
    }
    return {finding: summary(targets), targets, buildMs}
  },
}
