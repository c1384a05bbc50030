// go-rebuild: "you must compile the whole binary yourself", shown for the three Go hosts: each built once, then
// its plugin's source changed, and only what must be rebuilt is rebuilt (src/go/rebuild.ts). The host binary's
// hash and the answers say where the change got to without a new host.
import {demonstrateRebuilds} from '../go/rebuild.js'
import {detectGo} from '../go/toolchain.js'
import {stdlibPluginFacts, stdlibPluginSupport} from './go-stdlib-plugin.js'
import {EVERYWHERE, type Demonstration, type Row} from './row.js'
import {GO_PLUGIN_PKG, GO_PORTS} from './sources.js'

export const goRebuild: Row & Demonstration = {
  id: 'go-rebuild',
  family: 'go',
  title: 'each Go host built once, then its plugin changed: what had to be rebuilt for the host to answer anew (host binary hash, rebuild time)',
  runs: {where: 'same-thread', host: 'go', plugin: 'go'},
  platforms: {support: EVERYWHERE, note: 'rebuilds the Go hosts; its stdlib-plugin case only where Go plugins build', sources: [GO_PORTS, GO_PLUGIN_PKG]},
  async detect() {
    return detectGo()
  },
  async demonstrate(progress) {
    const rebuilds = await demonstrateRebuilds({stdlib: stdlibPluginSupport(stdlibPluginFacts()).supported}, progress)
    const finding = rebuilds.map((c) => `${c.mechanism}: rebuilt the ${c.rebuilt}, host binary ${c.hostHashAfter === c.hostHashBefore ? 'unchanged' : 'changed'}`).join('; ')
    return {finding, rebuilds, buildMs: rebuilds.reduce((sum, c) => sum + c.rebuildMs, 0), buildCached: false}
  },
}
