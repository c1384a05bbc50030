// The rows whose host is a Go program (go-stdlib-plugin, go-compiled-in, go-hashicorp, go-host-ts-plugin,
// go-wasm) differ only in their facts, what they build and how they are armed: this gives each the same
// capabilities. Bench runs the Go host's harness, crash-test its -probe, scale its -scale-* modes, and this
// process its -serve.
import {goScaleArgs} from '../go/scale-args.js'
import {goCrashHost, runGoProbe, type GoProbeOptions, type GoProbeOutcome} from '../go/probe.js'
import {serveGoHost} from '../transport/line-json-host.js'
import type {HostCommand, LoadOptions} from '../transport/types.js'
import type {Buildable, CrashProbeable, Loadable, MeasuredByOwnHost, OwnCrashHost, OwnScaleHost, Row, Scalable} from './row.js'

/** A built Go host: its binary, the arguments that point it at its plugin, and the build's cost. */
export interface GoHostBuild {
  host: string
  args: string[]
  buildMs: number
  cached: boolean
}

export interface GoHostSpec extends Row, CrashProbeable, Scalable {
  /** load() passes `options.pluginPath` on to the plugin (through env()). */
  readonly takesPluginPath?: boolean
  /** Builds (or finds cached) the host and whatever it loads. */
  build(): Promise<GoHostBuild>
  /** Environment the host needs for these load options (a go-plugin host passes it on to its plugin). */
  env?(options: LoadOptions): Record<string, string>
  /** The throwaway host crash-test runs, where the host's -probe flags differ from the Go hosts' common ones. */
  crashHost?(build: GoHostBuild, fault: string, options: LoadOptions): HostCommand
  /** The host's own flags for its scale steps, where it holds many plugins differently from one (go-wasm). */
  readonly scaleArgs?: readonly string[]
}

/** A Go-hosted row; the tests also probe it directly, with a fault by name. */
export type GoHostRow = Row & Loadable & Buildable & MeasuredByOwnHost & CrashProbeable & OwnCrashHost & Scalable & OwnScaleHost & {
  probe(fault: string | undefined, options?: GoProbeOptions): Promise<GoProbeOutcome>
}

export function goHostRow(spec: GoHostSpec): GoHostRow {
  const {build, env = () => ({}), crashHost, scaleArgs = [], takesPluginPath = false, ...facts} = spec
  return {
    ...facts,
    takesPluginPath,
    async build() {
      const {buildMs, cached} = await build()
      return {buildMs, cached}
    },
    async load(options) {
      const b = await build()
      return serveGoHost(b.host, b.args, {env: env(options), startTimeoutMs: options.startTimeoutMs, callTimeoutMs: options.callTimeoutMs})
    },
    async benchHost(options) {
      const b = await build()
      return {command: {file: b.host, args: b.args, env: env(options)}, build: {buildMs: b.buildMs, cached: b.cached}}
    },
    async crashHost(fault, options) {
      const b = await build()
      return crashHost ? crashHost(b, fault, options) : goCrashHost(b.host, b.args, fault, options)
    },
    async scaleHost(step, options) {
      const b = await build()
      return {file: b.host, args: [...b.args, ...scaleArgs, ...goScaleArgs(step, options)], env: env(options)}
    },
    async probe(fault, options) {
      const b = await build()
      return runGoProbe(b.host, b.args, fault, options)
    },
  }
}
