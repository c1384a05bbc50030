// A minimal protobuf wire codec for the few small messages go-plugin's own services use and the sample's.
// Hand-written so a plugin process starts without loading protobufjs: cold start is most of a plugin's cost.
// Only the wire types these messages need: varint (0) and length-delimited (2); others are skipped.

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

/** Reads every field of a message: the last value of each field number wins, as protobuf says. */
export function readFields(buffer: Buffer): Map<number, FieldValue> {
  const fields = new Map<number, FieldValue>()
  let offset = 0
  const varint = (): bigint => {
    // Most varints here are one byte (tags, small numbers).
    if (offset < buffer.length && buffer[offset] < 0x80) return BigInt(buffer[offset++])
    let result = 0n
    let shift = 0n
    for (;;) {
      if (offset >= buffer.length) throw new RangeError('truncated protobuf varint')
      const byte = buffer[offset++]
      result |= BigInt(byte & 0x7f) << shift
      if ((byte & 0x80) === 0) return result
      shift += 7n
    }
  }
  while (offset < buffer.length) {
    const key = Number(varint())
    const field = key >>> 3
    const wireType = key & 7
    if (wireType === 0) fields.set(field, {wireType, value: varint()})
    else if (wireType === 2) {
      const length = Number(varint())
      if (offset + length > buffer.length) throw new RangeError('truncated protobuf field')
      fields.set(field, {wireType, value: buffer.subarray(offset, offset + length)})
      offset += length
    } else if (wireType === 1) offset += 8
    else if (wireType === 5) offset += 4
    else throw new RangeError(`unsupported protobuf wire type ${wireType}`)
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
