// The rows whose host is a Go program (go-stdlib-plugin, go-compiled-in, go-hashicorp, go-host-ts-plugin,
// go-wasm) differ only in what they build and how they are armed; this makes each of them a Mechanism.
import type {CrashHostCommand, Family, LoadOptions, Mechanism, Support} from '../mechanisms/types.js'
import {goCrashHost, runGoProbe, type GoProbeOptions, type GoProbeOutcome} from './probe.js'
import {serveGoHost} from './serve.js'
import {withBuildProgress} from './toolchain.js'

/** A built Go host: its binary, the arguments that point it at its plugin, and the build's cost. */
export interface GoHostBuild {
  host: string
  args: string[]
  buildMs: number
  cached: boolean
}

export interface GoHostSpec {
  id: string
  family: Family
  title: string
  floor?: string
  coldStartFloor?: string
  acceptsUserPlugin?: boolean
  faults: readonly string[]
  detect(): Promise<Support> | Support
  /** Builds (or finds cached) the host and whatever it loads. */
  build(): Promise<GoHostBuild>
  /** Environment the host needs for these load options (a go-plugin host passes it on to its plugin). */
  env?(options: LoadOptions): Record<string, string>
  /** The throwaway host crash-test runs, where the host's -probe flags differ from the Go hosts' common ones. */
  crashHost?(build: GoHostBuild, fault: string, options: LoadOptions): CrashHostCommand
}

/** A Go-hosted row that crash-test and the tests can also probe directly with a fault by name. */
export interface GoHostMechanism extends Mechanism {
  probe(fault: string | undefined, options?: GoProbeOptions): Promise<GoProbeOutcome>
}

export function goHostMechanism(spec: GoHostSpec): GoHostMechanism {
  const {build, env = () => ({})} = spec
  return {
    id: spec.id,
    family: spec.family,
    title: spec.title,
    floor: spec.floor,
    coldStartFloor: spec.coldStartFloor,
    acceptsUserPlugin: spec.acceptsUserPlugin,
    faults: spec.faults,
    async detect() {
      return spec.detect()
    },
    async prepare() {
      const {buildMs, cached} = await build()
      return {buildMs, cached}
    },
    async load(options) {
      const b = await build()
      return serveGoHost(b.host, b.args, {env: env(options), startTimeoutMs: options.startTimeoutMs, callTimeoutMs: options.callTimeoutMs})
    },
    async roundsHost(options, progress) {
      const b = await withBuildProgress(build, progress)
      return {file: b.host, args: [...b.args, '-rounds'], env: env(options), buildMs: b.buildMs, cached: b.cached}
    },
    async crashHost(fault, options) {
      const b = await build()
      return spec.crashHost ? spec.crashHost(b, fault, options) : goCrashHost(b.host, b.args, fault, options)
    },
    async probe(fault, options) {
      const b = await build()
      return runGoProbe(b.host, b.args, fault, options)
    },
  }
}
