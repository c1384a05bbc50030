// A minimal protobuf wire codec for the few small messages go-plugin's own services use and the sample's.
// Hand-written so a plugin process starts without loading protobufjs: cold start is most of a plugin's cost.
// Only the wire types these messages need: varint (0) and length-delimited (2); fixed-width ones are skipped.

/** A varint is at most 10 bytes (64 bits); protobuf parsers refuse a longer one. */
const MAX_VARINT_BYTES = 10

/**
 * Writes a message into one buffer, grown as needed (a call's message is one small allocation, not one per
 * field and varint, then a copy).
 */
export class ProtoWriter {
  private buffer: Buffer
  private size = 0

  constructor(sizeHint = 64) {
    this.buffer = Buffer.allocUnsafe(sizeHint)
  }

  private reserve(bytes: number): void {
    const needed = this.size + bytes
    if (needed <= this.buffer.length) return
    const grown = Buffer.allocUnsafe(Math.max(needed, 2 * this.buffer.length))
    this.buffer.copy(grown, 0, 0, this.size)
    this.buffer = grown
  }

  private varint(value: number | bigint): void {
    this.reserve(MAX_VARINT_BYTES)
    const buffer = this.buffer
    if (typeof value === 'number' && value >= 0 && value <= 0xffffffff) {
      let n = value >>> 0
      while (n > 0x7f) {
        buffer[this.size++] = (n & 0x7f) | 0x80
        n >>>= 7
      }
      buffer[this.size++] = n
      return
    }
    // Negative and 64-bit values as protobuf's int64: two's complement in ten bytes.
    let v = BigInt.asUintN(64, BigInt(value))
    while (v > 0x7fn) {
      buffer[this.size++] = Number(v & 0x7fn) | 0x80
      v >>= 7n
    }
    buffer[this.size++] = Number(v)
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
    this.reserve(value.length)
    this.buffer.set(value, this.size)
    this.size += value.length
    return this
  }

  string(field: number, value: string | undefined, always = false): this {
    if (value === undefined) return this
    const length = Buffer.byteLength(value, 'utf8')
    if (length === 0 && !always) return this
    this.tag(field, 2)
    this.varint(length)
    this.reserve(length)
    this.size += this.buffer.write(value, this.size, length, 'utf8')
    return this
  }

  message(field: number, value: Buffer | undefined): this {
    return this.bytes(field, value, true)
  }

  finish(): Buffer {
    return this.buffer.subarray(0, this.size)
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

/**
 * Reads a message field by field, without a map or a bigint per field: `next()` reads the next field's key
 * and value, then `field` and `wireType` say what it was and `int64`, `uint64`, `bytes` or `string()` give
 * its value. Fixed-width fields (wire types 1 and 5) are checked and skipped over (their value is not kept);
 * groups (3, 4), unknown wire types, field number 0, a varint longer than 10 bytes or a length past the end
 * throw ProtoDecodeError.
 */
export class ProtoReader {
  /** The field number of the field `next()` read. */
  field = 0
  /** Its wire type: 0 (varint), 1 (fixed64), 2 (length-delimited) or 5 (fixed32). */
  wireType = 0
  private offset = 0
  // A varint: as a number while it is a safe integer, else as a bigint (then `small` is not used).
  private small = 0
  private big: bigint | undefined
  // A length-delimited field's bytes.
  private start = 0
  private end = 0

  constructor(private readonly buffer: Buffer) {}

  next(): boolean {
    const buffer = this.buffer
    if (this.offset >= buffer.length) return false
    const at = this.offset
    this.varint()
    if (this.big !== undefined || this.small > 0xffffffff) throw new ProtoDecodeError('a field key above 32 bits', at)
    const field = Math.floor(this.small / 8)
    const wireType = this.small & 7
    if (field === 0) throw new ProtoDecodeError('field number 0', at)
    this.field = field
    this.wireType = wireType
    if (wireType === 0) this.varint()
    else if (wireType === 2) {
      this.varint()
      const left = buffer.length - this.offset
      if (this.big !== undefined || this.small > left) throw new ProtoDecodeError(`field ${field} is ${this.big ?? this.small} bytes long, but only ${left} are left`, at)
      this.start = this.offset
      this.offset += this.small
      this.end = this.offset
    } else if (wireType === 1) this.skip(8, 'fixed64', at)
    else if (wireType === 5) this.skip(4, 'fixed32', at)
    else throw new ProtoDecodeError(`wire type ${wireType} of field ${field} (${wireType === 3 || wireType === 4 ? 'groups are not supported' : 'no such wire type'})`, at)
    return true
  }

  /** A varint field as protobuf's int64 (negative numbers are ten-byte varints), as a number. */
  get int64(): number {
    return this.big === undefined ? this.small : Number(BigInt.asIntN(64, this.big))
  }

  /** A varint field's 64 bits, unsigned. */
  get uint64(): bigint {
    return this.big ?? BigInt(this.small)
  }

  /** A length-delimited field's bytes (a view of the message, not a copy). */
  get bytes(): Buffer {
    return this.buffer.subarray(this.start, this.end)
  }

  /** A length-delimited field as UTF-8 text. */
  string(): string {
    return this.buffer.toString('utf8', this.start, this.end)
  }

  private varint(): void {
    const buffer = this.buffer
    const start = this.offset
    this.big = undefined
    // Most varints here are one byte (tags, small numbers); seven bytes (49 bits) still fit a number exactly.
    let value = 0
    for (let i = 0, scale = 1; i < 7; i++, scale *= 128) {
      if (this.offset >= buffer.length) throw new ProtoDecodeError('a truncated varint', start)
      const byte = buffer[this.offset++]
      value += (byte & 0x7f) * scale
      if (byte < 0x80) {
        this.small = value
        return
      }
    }
    let result = BigInt(value)
    let shift = 49n
    for (let i = 7; ; i++) {
      if (i >= MAX_VARINT_BYTES) throw new ProtoDecodeError(`a varint longer than ${MAX_VARINT_BYTES} bytes`, start)
      if (this.offset >= buffer.length) throw new ProtoDecodeError('a truncated varint', start)
      const byte = buffer[this.offset++]
      result |= BigInt(byte & 0x7f) << shift
      if ((byte & 0x80) === 0) {
        // The tenth byte may only carry the 64th bit.
        if (i === MAX_VARINT_BYTES - 1 && byte > 1) throw new ProtoDecodeError('a varint above 64 bits', start)
        if (result <= BigInt(Number.MAX_SAFE_INTEGER)) this.small = Number(result)
        else this.big = result
        return
      }
      shift += 7n
    }
  }

  private skip(bytes: number, what: string, at: number): void {
    if (this.offset + bytes > this.buffer.length) throw new ProtoDecodeError(`a truncated ${what} field (${bytes} bytes needed, ${this.buffer.length - this.offset} left)`, at)
    this.offset += bytes
  }
}

/** Every field of a message, the last value of each field number winning, as protobuf says (see ProtoReader). */
export function readFields(buffer: Buffer): Map<number, FieldValue> {
  const fields = new Map<number, FieldValue>()
  const reader = new ProtoReader(buffer)
  while (reader.next()) {
    if (reader.wireType === 0) fields.set(reader.field, {wireType: 0, value: reader.uint64})
    else if (reader.wireType === 2) fields.set(reader.field, {wireType: 2, value: reader.bytes})
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
