// The floor of the in-process rows: the sample's own work (format the message) as a plain function call.
import {PluginError, type PluginInput, type PluginOutput} from '../sample/contract.js'
import {EVERYWHERE, type Loadable, type Row} from './row.js'
import {NODE_ESM} from './sources.js'

/** Floors measure the bare transport: no ids, no framing, no checks, and no payload. */
export const noPayload = () => new PluginError('NO_PAYLOAD', 'floors measure the bare transport and carry no payload')

export const floorDirectCall: Row & Loadable = {
  id: 'floor-direct-call',
  family: 'floor',
  title: 'a plain function call in the host',
  runs: {where: 'same-thread', host: 'typescript', plugin: 'typescript'},
  platforms: {support: EVERYWHERE, sources: [NODE_ESM]},
  takesPluginPath: false,
  async detect() {
    return {supported: true}
  },
  async load() {
    const callSync = (input: PluginInput): PluginOutput => {
      if (input.payload !== undefined) throw noPayload()
      return {message: `My custom code prints PluginInputNumber: ${input.number}`}
    }
    return {callSync, call: async (input) => callSync(input), ping: async () => {}, dispose: async () => {}}
  },
}
