// The raw HTTP/2 floor: a process that connects to its host's socket and serves h2c on that connection,
// answering each request for /<n> with the sample's message. It exits when the connection closes.
import http2 from 'node:http2'
import net from 'node:net'

const server = http2.createServer()
server.on('stream', (stream, headers) => {
  stream.respond({':status': 200})
  stream.end(`My custom code prints PluginInputNumber: ${String(headers[':path']).slice(1)}`)
})
const socket = net.connect(process.env.PLUGIN_SURVEY_SOCKET!)
socket.setNoDelay(true)
socket.on('close', () => process.exit(0))
socket.on('error', () => process.exit(0))
server.emit('connection', socket)
