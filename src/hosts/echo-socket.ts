// The raw unix-socket floor: a process that answers each newline-terminated number with the sample's message.
import net from 'node:net'
import {lineReader} from '../transport/framing.js'

const socket = net.connect(process.env.PLUGIN_SURVEY_SOCKET!)
socket.setNoDelay(true)
socket.on('close', () => process.exit(0))
socket.on('error', () => process.exit(0))
socket.on('data', lineReader((n) => socket.write(`My custom code prints PluginInputNumber: ${n}\n`)))
