// The raw HTTP/2 floor: a process that connects to its host's socket and serves h2c on that connection with
// the HTTP/2 code the lean gRPC server runs on (protocol/h2-connection.ts), answering each request for /<n>
// with the sample's message. It exits when the connection closes.
import net from 'node:net'
import {H2Connection} from '../protocol/h2-connection.js'
import {encodeHeaders, header} from '../protocol/hpack.js'

const RESPONSE = encodeHeaders([[':status', '200']])
const socket = net.connect(process.env.PLUGIN_SURVEY_SOCKET!)
socket.setNoDelay(true)
socket.on('close', () => process.exit(0))
socket.on('error', () => process.exit(0))
new H2Connection(socket, (stream, headers) => {
  const path = header(headers, ':path') ?? '/'
  stream.respond(RESPONSE)
  stream.write(Buffer.from(`My custom code prints PluginInputNumber: ${path.slice(1)}`), true)
})
