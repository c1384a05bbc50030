// go-plugin's logging, both ways. A plugin logs hclog JSON lines on its stderr; go-plugin's host reads each line
// and re-logs it with its level and fields (client.go logStderr, log_entry.go parseJSON), a line that is not
// JSON by its [LEVEL] prefix or at debug, and a panic's lines at error. The host side here does the same into a
// Logger; the plugin side writes lines a Go host reads that way.

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error'
export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error']

export interface LogEntry {
  level: LogLevel
  message: string
  /** hclog's @module: the name of the plugin's logger. */
  module?: string
  /** hclog's @timestamp, when the line had one. */
  timestamp?: Date
  /** Every other key of the line (hclog's key/value pairs). */
  fields: Record<string, unknown>
}

/** Where a host's plugin log entries go. `plugin` names the plugin (its command's base name, as go-plugin's logger). */
export interface Logger {
  log(entry: LogEntry & {plugin: string}): void
}

// hclog.LevelFromString: case-insensitive; anything else has no level.
function levelOf(text: unknown): LogLevel | undefined {
  if (typeof text !== 'string') return undefined
  const level = text.trim().toLowerCase()
  return (LOG_LEVELS as readonly string[]).includes(level) ? (level as LogLevel) : undefined
}

// go-plugin parses @timestamp with Go's layout "2006-01-02T15:04:05.000000Z07:00"; a line that does not match is not JSON to it.
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}(Z|[+-]\d\d:\d\d)$/

const PREFIXES: Array<[string, LogLevel]> = [
  ['[TRACE]', 'trace'],
  ['[DEBUG]', 'debug'],
  ['[INFO]', 'info'],
  ['[WARN]', 'warn'],
  ['[ERROR]', 'error'],
]

/** Reads a plugin's stderr lines as go-plugin's host does. Stateful: after a panic's first line, the rest are errors. */
export class StderrLogReader {
  private inPanic = false

  read(line: string): LogEntry {
    const json = parseJson(line)
    if (json !== undefined) {
      const {'@message': message, '@level': level, '@timestamp': timestamp, '@module': module, ...fields} = json
      const known = levelOf(level)
      // JSON that is not hclog's (no level) is logged verbatim at debug.
      if (known === undefined) return {level: 'debug', message: line, fields: {}}
      return {
        level: known,
        message: typeof message === 'string' ? message : '',
        ...(typeof module === 'string' ? {module} : {}),
        ...(typeof timestamp === 'string' ? {timestamp: new Date(timestamp)} : {}),
        fields,
      }
    }
    for (const [prefix, level] of PREFIXES) if (line.startsWith(prefix)) return {level, message: line, fields: {}}
    if (line.startsWith('panic: ') || line.startsWith('fatal error: ')) this.inPanic = true
    return {level: this.inPanic ? 'error' : 'debug', message: line, fields: {}}
  }
}

function parseJson(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined
  try {
    const value = JSON.parse(line) as unknown
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
    const record = value as Record<string, unknown>
    // A timestamp go-plugin cannot parse makes the whole line "not JSON" to it.
    if ('@timestamp' in record && !(typeof record['@timestamp'] === 'string' && TIMESTAMP.test(record['@timestamp']))) return undefined
    return record
  } catch {
    return undefined
  }
}

/** hclog's JSON time: microseconds and the zone, as go-plugin's parser requires. */
export function hclogTimestamp(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z')
}

/** A plugin-side logger that writes hclog JSON lines (on the process's real stderr by default). */
export interface PluginLogger {
  trace(message: string, fields?: Record<string, unknown>): void
  debug(message: string, fields?: Record<string, unknown>): void
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
  /** A logger whose @module is this one's name and `name` joined by a dot, as hclog's Named. */
  named(name: string): PluginLogger
}

export interface PluginLoggerOptions {
  /** The @module of every line. */
  name?: string
  /** Lines below this level are not written (default trace: the host's logger decides, as go-plugin's default). */
  level?: LogLevel
  /** Where each line goes (default: the real stderr, before serve() hands process.stderr to GRPCStdio). */
  write?(line: string): void
}

export function createPluginLogger(options: PluginLoggerOptions, defaultWrite: (line: string) => void): PluginLogger {
  const min = LOG_LEVELS.indexOf(options.level ?? 'trace')
  const write = options.write ?? defaultWrite
  const at =
    (level: LogLevel) =>
    (message: string, fields: Record<string, unknown> = {}): void => {
      if (LOG_LEVELS.indexOf(level) < min) return
      const line: Record<string, unknown> = {'@level': level, '@message': message, '@timestamp': hclogTimestamp(new Date())}
      if (options.name) line['@module'] = options.name
      for (const [key, value] of Object.entries(fields)) {
        // hclog writes an error as its message.
        line[key] = value instanceof Error ? value.message : value
      }
      write(`${JSON.stringify(line)}\n`)
    }
  return {
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    named: (name) => createPluginLogger({...options, name: options.name ? `${options.name}.${name}` : name}, defaultWrite),
  }
}

/** Splits a byte stream into lines (a last line without a newline counts when the stream ends). */
export function lineSplitter(onLine: (line: string) => void): {push(chunk: Buffer | string): void; end(): void} {
  let buffered = ''
  return {
    push(chunk) {
      buffered += typeof chunk === 'string' ? chunk : chunk.toString('utf8')
      let newline: number
      while ((newline = buffered.indexOf('\n')) >= 0) {
        onLine(buffered.slice(0, newline).replace(/\r$/, ''))
        buffered = buffered.slice(newline + 1)
      }
    },
    end() {
      if (buffered.length > 0) onLine(buffered)
      buffered = ''
    },
  }
}
