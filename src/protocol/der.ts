// Just enough ASN.1 DER to write one self-signed X.509 certificate (Node can parse certificates, not make them).

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n])
  const bytes: number[] = []
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

export function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content)
  return Buffer.concat([Buffer.from([tag]), length(body.length), body])
}

export const sequence = (...items: Buffer[]) => tlv(0x30, ...items)
export const set = (...items: Buffer[]) => tlv(0x31, ...items)
export const utf8 = (text: string) => tlv(0x0c, Buffer.from(text, 'utf8'))
export const octets = (content: Buffer) => tlv(0x04, content)
export const bool = (value: boolean) => tlv(0x01, Buffer.from([value ? 0xff : 0]))
/** A context-specific tag: explicit ([n] constructed, wraps the DER of its content) or implicit primitive. */
export const explicit = (n: number, content: Buffer) => tlv(0xa0 | n, content)
export const implicit = (n: number, content: Buffer) => tlv(0x80 | n, content)

/** A non-negative INTEGER from big-endian bytes (a 0 byte is prepended when the top bit is set). */
export function integer(bytes: Buffer | number): Buffer {
  let b = typeof bytes === 'number' ? Buffer.from([bytes]) : bytes
  let start = 0
  while (start < b.length - 1 && b[start] === 0 && b[start + 1] < 0x80) start++
  b = b.subarray(start)
  return tlv(0x02, b[0] >= 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b)
}

export function bitString(content: Buffer, unusedBits = 0): Buffer {
  return tlv(0x03, Buffer.from([unusedBits]), content)
}

export function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number)
  const bytes = [a * 40 + b]
  for (const part of rest) {
    const chunk = [part & 0x7f]
    for (let v = Math.floor(part / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80)
    bytes.push(...chunk)
  }
  return tlv(0x06, Buffer.from(bytes))
}

/** UTCTime up to 2049, GeneralizedTime from 2050, as RFC 5280 requires. */
export function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z'
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2), 'ascii')) : tlv(0x18, Buffer.from(iso, 'ascii'))
}
