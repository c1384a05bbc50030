// ts-host-go-plugin: this project's TypeScript go-plugin host (src/protocol) starting the sample's Go
// go-plugin plugin (fixtures/go/goplugin/plugin, built with hashicorp/go-plugin).
import {detectGo, goBuild} from '../go/toolchain.js'
import {handshakeFaultIds, STDIO_FAULT} from '../sample/faults.js'
import {loadGoPluginSample} from './child-grpc.js'
import type {Mechanism} from './types.js'

export function buildGoPluginPlugin() {
  return goBuild({pkg: './goplugin/plugin', output: 'goplugin-plugin'})
}

export const tsHostGoPlugin: Mechanism = {
  id: 'ts-host-go-plugin',
  family: 'cross',
  title: "the TypeScript go-plugin host starting a Go plugin built with hashicorp/go-plugin (gRPC)",
  floor: 'floor-http2',
  // No cold-start floor: a Go plugin starts faster than `node -e 0`, so that ratio would say nothing.
  // Armed by name in the Go plugin's environment (fixtures/go/goplugin/plugin): its call faults and broken handshakes.
  faults: ['throw', 'reject', 'exit', 'segfault', 'hang', 'never', 'oom', 'stdout-garbage', STDIO_FAULT.id, 'slow-start', ...handshakeFaultIds],
  async detect() {
    return detectGo()
  },
  async prepare() {
    const build = await buildGoPluginPlugin()
    return {buildMs: build.buildMs, cached: build.cached}
  },
  async load(options) {
    const build = await buildGoPluginPlugin()
    return loadGoPluginSample(build.binary, [], options)
  },
}
