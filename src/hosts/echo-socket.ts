// The raw unix-socket floor: a process that answers each newline-terminated number with the sample's message.
import net from 'node:net'

const socket = net.connect(process.env.PLUGIN_SURVEY_SOCKET!)
socket.setNoDelay(true)
socket.on('close', () => process.exit(0))
socket.on('error', () => process.exit(0))
let buffered = ''
socket.on('data', (chunk: Buffer) => {
  buffered += chunk.toString('utf8')
  let newline: number
  while ((newline = buffered.indexOf('\n')) >= 0) {
    const n = buffered.slice(0, newline)
    buffered = buffered.slice(newline + 1)
    socket.write(`My custom code prints PluginInputNumber: ${n}\n`)
  }
})
