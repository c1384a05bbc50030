// The Go floor: the sample's own work as a plain Go function call, timed by the same Go harness as the go-*
// rows in the same run, so their per-call overhead is a ratio against Go rather than against Node.
import {serveGoHost} from '../go/serve.js'
import {detectGo, goBuild, withBuildProgress} from '../go/toolchain.js'
import type {Mechanism} from './types.js'

async function buildFloor() {
  const build = await goBuild({pkg: './floor/directcall', output: 'floor-go-direct-call'})
  return {host: build.binary, buildMs: build.buildMs, cached: build.cached}
}

export const floorGoDirectCall: Mechanism = {
  id: 'floor-go-direct-call',
  family: 'floor',
  title: 'a plain function call in a Go host',
  async detect() {
    return detectGo()
  },
  async load(options) {
    const build = await buildFloor()
    return serveGoHost(build.host, [], {startTimeoutMs: options.startTimeoutMs, callTimeoutMs: options.callTimeoutMs})
  },
  async roundsHost(_options, progress) {
    const build = await withBuildProgress(buildFloor, progress)
    return {file: build.host, args: ['-rounds'], buildMs: build.buildMs, cached: build.cached}
  },
}
