// go-rebuild: "you must compile the whole binary yourself", shown for the three Go hosts: each built once, then
// its plugin's source changed, and only what must be rebuilt is rebuilt (src/go/rebuild.ts). The host binary's
// hash and the answers say where the change got to without a new host.
import {demonstrateRebuilds} from '../go/rebuild.js'
import {detectGo} from '../go/toolchain.js'
import {findingRow} from './finding-row.js'
import {stdlibPluginFacts, stdlibPluginSupport} from './go-stdlib-plugin.js'

export const goRebuild = findingRow({
  id: 'go-rebuild',
  family: 'go',
  title: "each Go host built once, then its plugin changed: what had to be rebuilt for the host to answer anew (host binary hash, rebuild time)",
  detect: detectGo,
  async find(base, progress) {
    const rebuilds = await demonstrateRebuilds({stdlib: stdlibPluginSupport(stdlibPluginFacts()).supported}, progress)
    const buildMs = rebuilds.reduce((sum, c) => sum + c.rebuildMs, 0)
    const finding = rebuilds.map((c) => `${c.mechanism}: rebuilt the ${c.rebuilt}, host binary ${c.hostHashAfter === c.hostHashBefore ? 'unchanged' : 'changed'}`).join('; ')
    return {...base, status: 'ok', finding, rebuilds, buildMs, buildCached: false}
  },
})
