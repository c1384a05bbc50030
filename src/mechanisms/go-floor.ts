// A floor timed by the same Go harness as the go-* rows in the same run, so their overhead is a ratio against
// Go rather than against Node: built from a package of fixtures/go, loaded through its -serve mode.
import {goScaleArgs} from '../go/scale-args.js'
import {detectGo, goBuild} from '../go/toolchain.js'
import {serveGoHost} from '../transport/line-json-host.js'
import {EVERYWHERE, type Loadable, type MeasuredByOwnHost, type OwnScaleHost, type Placement, type Row, type Scalable} from './row.js'
import {GO_PORTS} from './sources.js'

export interface GoFloorSpec {
  id: string
  title: string
  where: Placement
  /** The package under fixtures/go, and the name of its cached binary. */
  pkg: string
  output: string
  scale: Scalable['scale']
}

export type GoFloor = Row & MeasuredByOwnHost & Loadable & Scalable & OwnScaleHost

export function goFloor(spec: GoFloorSpec): GoFloor {
  const build = () => goBuild({pkg: spec.pkg, output: spec.output})
  return {
    id: spec.id,
    family: 'floor',
    title: spec.title,
    runs: {where: spec.where, host: 'go', plugin: 'go'},
    platforms: {support: EVERYWHERE, sources: [GO_PORTS]},
    takesPluginPath: false,
    scale: spec.scale,
    async detect() {
      return detectGo()
    },
    async benchHost() {
      const built = await build()
      return {command: {file: built.binary, args: []}, build: {buildMs: built.buildMs, cached: built.cached}}
    },
    async load(options) {
      const built = await build()
      return serveGoHost(built.binary, [], {startTimeoutMs: options.startTimeoutMs, callTimeoutMs: options.callTimeoutMs})
    },
    async scaleHost(step, options) {
      const built = await build()
      return {file: built.binary, args: goScaleArgs(step, options)}
    },
  }
}
