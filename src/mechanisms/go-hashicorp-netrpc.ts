// go-hashicorp-netrpc: the same Go host and Go plugin as go-hashicorp, over go-plugin's other protocol, net/rpc
// (gob over yamux on the unix socket), so the library's two protocols are compared on one machine. The host's
// -protocol=netrpc allows only net/rpc and tells the plugin through the environment go-plugin passes on.
import {GO_FAULTS} from '../go/probe.js'
import {detectGo} from '../go/toolchain.js'
import {STDIO_FAULT} from '../sample/faults.js'
import {GO_PLUGIN_HOST, faultsFrom} from './expectations.js'
import {buildGoHashicorp, GO_PLUGIN_HOST_RELOAD} from './go-hashicorp.js'
import {goHostRow} from './go-host-row.js'
import {EVERYWHERE} from './row.js'
import {HASHICORP} from './sources.js'
import {SCALES_BOTH} from './scale-facts.js'

export const goHashicorpNetrpc = goHostRow({
  id: 'go-hashicorp-netrpc',
  family: 'go',
  title: 'a Go host using github.com/hashicorp/go-plugin over net/rpc (gob over yamux), with a Go plugin',
  runs: {where: 'other-process', host: 'go', plugin: 'go', protocol: 'go-plugin'},
  platforms: {support: EVERYWHERE, note: 'TCP on 127.0.0.1 instead of a unix socket on Windows', sources: [HASHICORP]},
  // go-plugin itself, over the protocol it started with: its claims are judged on go-hashicorp first.
  survey: [{subject: 'go-plugin', role: 'counterpart'}],
  // The library's two protocols, timed in turns in the same run.
  versus: ['go-hashicorp'],
  faults: faultsFrom(GO_PLUGIN_HOST, [...GO_FAULTS, STDIO_FAULT.id]),
  reload: GO_PLUGIN_HOST_RELOAD,
  scale: SCALES_BOTH,
  async detect() {
    return detectGo()
  },
  build: async () => {
    const built = await buildGoHashicorp()
    return {...built, args: [...built.args, '-protocol=netrpc']}
  },
})
