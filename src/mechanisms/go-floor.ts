// A floor timed by the same Go harness as the go-* rows in the same run, so their overhead is a ratio against
// Go rather than against Node: built from a package of fixtures/go, loaded through its -serve mode.
import {goScaleArgs, runGoHarness} from '../go/harness.js'
import {serveGoHost} from '../go/serve.js'
import {detectGo, goBuild, withBuildProgress} from '../go/toolchain.js'
import type {BenchRow} from '../report/types.js'
import type {Mechanism, ScaleFacts} from './types.js'

export interface GoFloorSpec {
  id: string
  title: string
  /** The package under fixtures/go, and the name of its cached binary. */
  pkg: string
  output: string
  scale: ScaleFacts
}

export function goFloor(spec: GoFloorSpec): Mechanism {
  const build = async () => {
    const built = await goBuild({pkg: spec.pkg, output: spec.output})
    return {host: built.binary, buildMs: built.buildMs, cached: built.cached}
  }
  return {
    id: spec.id,
    family: 'floor',
    title: spec.title,
    scale: spec.scale,
    async detect() {
      return detectGo()
    },
    async load(options) {
      const built = await build()
      return serveGoHost(built.host, [], {startTimeoutMs: options.startTimeoutMs, callTimeoutMs: options.callTimeoutMs})
    },
    async scaleHost(step, options) {
      const built = await build()
      return {file: built.host, args: goScaleArgs(step, options)}
    },
    async benchExternally(settings, _options, progress): Promise<BenchRow> {
      const support = await detectGo()
      if (!support.supported) return {mechanism: spec.id, family: 'floor', title: spec.title, status: 'skipped', reason: support.reason}
      const built = await withBuildProgress(build, progress)
      return runGoHarness(this, built.host, settings, built)
    },
  }
}
