// The Go floor: the sample's own work as a plain Go function call, timed by the same Go harness as the go-*
// rows in the same run, so their per-call overhead is a ratio against Go rather than against Node.
import {detectGo, goBuild} from '../go/toolchain.js'
import {serveGoHost} from '../transport/line-json-host.js'
import {EVERYWHERE, type Loadable, type MeasuredByOwnHost, type Row} from './row.js'
import {GO_PORTS} from './sources.js'

function buildFloor() {
  return goBuild({pkg: './floor/directcall', output: 'floor-go-direct-call'})
}

export const floorGoDirectCall: Row & MeasuredByOwnHost & Loadable = {
  id: 'floor-go-direct-call',
  family: 'floor',
  title: 'a plain function call in a Go host',
  runs: {where: 'same-thread', host: 'go', plugin: 'go'},
  platforms: {support: EVERYWHERE, sources: [GO_PORTS]},
  takesPluginPath: false,
  async detect() {
    return detectGo()
  },
  async benchHost() {
    const build = await buildFloor()
    return {command: {file: build.binary, args: []}, build: {buildMs: build.buildMs, cached: build.cached}}
  },
  async load(options) {
    const build = await buildFloor()
    return serveGoHost(build.binary, [], {startTimeoutMs: options.startTimeoutMs, callTimeoutMs: options.callTimeoutMs})
  },
}
