// go-hashicorp-netrpc: the same Go host and Go plugin as go-hashicorp, over go-plugin's other protocol, net/rpc
// (gob over yamux on the unix socket), so the library's two protocols are compared on one machine. The host's
// -protocol=netrpc allows only net/rpc and tells the plugin through the environment go-plugin passes on.
import {goHostMechanism} from '../go/go-host-mechanism.js'
import {GO_FAULTS} from '../go/probe.js'
import {detectGo} from '../go/toolchain.js'
import {STDIO_FAULT} from '../measure/crash/faults.js'
import {buildGoHashicorp} from './go-hashicorp.js'

export const goHashicorpNetrpc = goHostMechanism({
  id: 'go-hashicorp-netrpc',
  family: 'go',
  title: 'a Go host using github.com/hashicorp/go-plugin over net/rpc (gob over yamux), with a Go plugin',
  faults: [...GO_FAULTS, STDIO_FAULT.id],
  detect: detectGo,
  build: async () => {
    const built = await buildGoHashicorp()
    return {...built, args: [...built.args, '-protocol=netrpc']}
  },
})
