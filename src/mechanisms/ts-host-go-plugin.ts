// ts-host-go-plugin: this project's TypeScript go-plugin host (src/protocol) starting the sample's Go
// go-plugin plugin (fixtures/go/goplugin/plugin, built with hashicorp/go-plugin).
import {detectGo, goBuild} from '../go/toolchain.js'
import {handshakeFaultIds, STDIO_FAULT} from '../measure/crash/faults.js'
import {loadGoPluginSample} from './child-grpc.js'
import type {Mechanism} from './types.js'

export function buildGoPluginPlugin() {
  return goBuild({pkg: './goplugin/plugin', output: 'goplugin-plugin'})
}

export const tsHostGoPlugin: Mechanism = {
  id: 'ts-host-go-plugin',
  family: 'cross',
  title: "the TypeScript go-plugin host starting a Go plugin built with hashicorp/go-plugin (gRPC)",
  // The host's client is its own HTTP/2 on a raw socket (src/protocol/h2-client.ts), not node:http2: its floor is the socket's.
  floor: 'floor-unix-socket',
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
