// A minimal protobuf wire codec for the few small messages go-plugin's own services use and the sample's.
// Hand-written so a plugin process starts without loading protobufjs: cold start is most of a plugin's cost.
// Only the wire types these messages need: varint (0) and length-delimited (2); fixed-width ones are skipped.

export class ProtoWriter {
  private readonly parts: Buffer[] = []
  private size = 0

  private push(part: Buffer): void {
    this.parts.push(part)
    this.size += part.length
  }

  private varint(value: number | bigint): void {
    if (typeof value === 'number' && value >= 0 && value < 0x80000000) {
      const bytes: number[] = []
      let n = value
      while (n > 0x7f) {
        bytes.push((n & 0x7f) | 0x80)
        n >>>= 7
      }
      bytes.push(n)
      this.push(Buffer.from(bytes))
      return
    }
    let v = BigInt.asUintN(64, BigInt(value))
    const bytes: number[] = []
    while (v > 0x7fn) {
      bytes.push(Number(v & 0x7fn) | 0x80)
      v >>= 7n
    }
    bytes.push(Number(v))
    this.push(Buffer.from(bytes))
  }

  private tag(field: number, wireType: 0 | 2): void {
    this.varint((field << 3) | wireType)
  }

  /** int64, uint32, enum and bool fields; proto3 leaves zero out unless `always` (for `optional` fields). */
  uint(field: number, value: number | bigint | boolean, always = false): this {
    const v = typeof value === 'boolean' ? Number(value) : value
    if (v === 0 || v === 0n) {
      if (!always) return this
    }
    this.tag(field, 0)
    this.varint(v)
    return this
  }

  bytes(field: number, value: Uint8Array | undefined, always = false): this {
    if (value === undefined || (value.length === 0 && !always)) return this
    this.tag(field, 2)
    this.varint(value.length)
    this.push(Buffer.from(value.buffer, value.byteOffset, value.length))
    return this
  }

  string(field: number, value: string | undefined, always = false): this {
    return value === undefined ? this : this.bytes(field, Buffer.from(value, 'utf8'), always)
  }

  message(field: number, value: Buffer | undefined): this {
    return this.bytes(field, value, true)
  }

  finish(): Buffer {
    return this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.size)
  }
}

export type FieldValue = {wireType: 0; value: bigint} | {wireType: 2; value: Buffer}

/** Bytes that are not a protobuf message: says what is wrong and at which byte, as a decode error should. */
export class ProtoDecodeError extends RangeError {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`malformed protobuf message: ${message} at byte ${offset}`)
    this.name = 'ProtoDecodeError'
  }
}

/** A varint is at most 10 bytes (64 bits); protobuf parsers refuse a longer one. */
const MAX_VARINT_BYTES = 10

/**
 * Reads every field of a message: the last value of each field number wins, as protobuf says. Fixed-width
 * fields (wire types 1 and 5) are checked and skipped; groups (3, 4), unknown wire types, field number 0, a
 * varint longer than 10 bytes or a length past the end throw ProtoDecodeError.
 */
export function readFields(buffer: Buffer): Map<number, FieldValue> {
  const fields = new Map<number, FieldValue>()
  let offset = 0
  const varint = (): bigint => {
    // Most varints here are one byte (tags, small numbers).
    if (offset < buffer.length && buffer[offset] < 0x80) return BigInt(buffer[offset++])
    const start = offset
    let result = 0n
    let shift = 0n
    for (let i = 0; ; i++) {
      if (i >= MAX_VARINT_BYTES) throw new ProtoDecodeError(`a varint longer than ${MAX_VARINT_BYTES} bytes`, start)
      if (offset >= buffer.length) throw new ProtoDecodeError('a truncated varint', start)
      const byte = buffer[offset++]
      result |= BigInt(byte & 0x7f) << shift
      if ((byte & 0x80) === 0) {
        // The tenth byte may only carry the 64th bit.
        if (i === MAX_VARINT_BYTES - 1 && byte > 1) throw new ProtoDecodeError('a varint above 64 bits', start)
        return result
      }
      shift += 7n
    }
  }
  const skip = (bytes: number, what: string, at: number) => {
    if (offset + bytes > buffer.length) throw new ProtoDecodeError(`a truncated ${what} field (${bytes} bytes needed, ${buffer.length - offset} left)`, at)
    offset += bytes
  }
  while (offset < buffer.length) {
    const at = offset
    const key = varint()
    if (key > 0xffffffffn) throw new ProtoDecodeError('a field key above 32 bits', at)
    const field = Number(key >> 3n)
    const wireType = Number(key & 7n)
    if (field === 0) throw new ProtoDecodeError('field number 0', at)
    if (wireType === 0) fields.set(field, {wireType, value: varint()})
    else if (wireType === 2) {
      const length = varint()
      if (length > BigInt(buffer.length - offset)) throw new ProtoDecodeError(`field ${field} is ${length} bytes long, but only ${buffer.length - offset} are left`, at)
      fields.set(field, {wireType, value: buffer.subarray(offset, offset + Number(length))})
      offset += Number(length)
    } else if (wireType === 1) skip(8, 'fixed64', at)
    else if (wireType === 5) skip(4, 'fixed32', at)
    else throw new ProtoDecodeError(`wire type ${wireType} of field ${field} (${wireType === 3 || wireType === 4 ? 'groups are not supported' : 'no such wire type'})`, at)
  }
  return fields
}

export function fieldNumber(fields: Map<number, FieldValue>, field: number): number {
  const f = fields.get(field)
  return f?.wireType === 0 ? Number(BigInt.asIntN(64, f.value)) : 0
}

export function fieldBuffer(fields: Map<number, FieldValue>, field: number): Buffer | undefined {
  const f = fields.get(field)
  return f?.wireType === 2 ? f.value : undefined
}

export function fieldString(fields: Map<number, FieldValue>, field: number): string | undefined {
  return fieldBuffer(fields, field)?.toString('utf8')
}
