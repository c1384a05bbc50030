// HPACK (RFC 7541), as much as gRPC needs: a full decoder (a Go server indexes and Huffman-codes its headers),
// a stateless encoder (encodeHeaders: every field a literal never added to the table, so a block depends on its
// fields only), and a connection's encoder (HpackEncoder) that adds the fields a connection sends on every call
// (a method's path, the content type, grpc-status 0) to the peer's table once and refers to them from then on.
import {HUFFMAN_CODES, STATIC_TABLE} from './hpack-tables.js'

export type HeaderList = Array<[name: string, value: string]>

/** The first value of `name` in a decoded header list. */
export function header(headers: HeaderList, name: string): string | undefined {
  for (const [field, value] of headers) if (field === name) return value
  return undefined
}

/** A header block the decoder cannot read: a COMPRESSION_ERROR, fatal to the connection. */
export class HpackError extends Error {
  constructor(message: string) {
    super(`HPACK: ${message}`)
    this.name = 'HpackError'
  }
}

// The Huffman code as a binary trie: node n has children at 2n and 2n+1 of `trie`; a leaf holds -(symbol + 1).
// Built on first use (a few ms): a peer that never Huffman-codes, as this project's host, never pays for it.
let trie: Int32Array | undefined
const buildTrie = () => {
  const nodes: number[] = [0, 0]
  for (let symbol = 0; symbol < 256; symbol++) {
    const [code, length] = HUFFMAN_CODES[symbol]
    let node = 0
    for (let bit = length - 1; bit >= 0; bit--) {
      const slot = 2 * node + ((code >>> bit) & 1)
      if (bit === 0) nodes[slot] = -(symbol + 1)
      else {
        if (nodes[slot] === 0) {
          nodes[slot] = nodes.length / 2
          nodes.push(0, 0)
        }
        node = nodes[slot]
      }
    }
  }
  return Int32Array.from(nodes)
}

export function huffmanDecode(bytes: Buffer): string {
  trie ??= buildTrie()
  const out: number[] = []
  let node = 0
  let depth = 0
  let allOnes = true
  for (const byte of bytes) {
    for (let bit = 7; bit >= 0; bit--) {
      const one = (byte >>> bit) & 1
      const next = trie[2 * node + one]
      depth++
      allOnes &&= one === 1
      if (next < 0) {
        out.push(-next - 1)
        node = 0
        depth = 0
        allOnes = true
      } else if (next === 0) {
        // Only the 30-bit end-of-string code leads nowhere.
        throw new HpackError('the Huffman-coded string holds the end-of-string symbol')
      } else node = next
    }
  }
  // What is left must be padding: fewer than 8 bits, all ones (a prefix of end-of-string).
  if (depth > 7 || !allOnes) throw new HpackError('invalid Huffman padding')
  return Buffer.from(out).toString('latin1')
}

const STATIC_COUNT = STATIC_TABLE.length
/** Each dynamic table entry costs its name and value plus 32 bytes (RFC 7541 section 4.1). */
const entrySize = (name: string, value: string) => name.length + value.length + 32

export class HpackDecoder {
  // Newest first, as HPACK numbers them.
  private readonly dynamic: Array<[string, string]> = []
  private size = 0
  private limit: number

  /** `maxTableSize` is what this side advertised in SETTINGS_HEADER_TABLE_SIZE (default 4096). */
  constructor(private readonly maxTableSize = 4096) {
    this.limit = maxTableSize
  }

  // The block being decoded and the place in it (fields, not closures: a block per request and per response).
  private block: Buffer = Buffer.alloc(0)
  private offset = 0

  decode(block: Buffer): HeaderList {
    const headers: HeaderList = []
    this.block = block
    this.offset = 0
    let fieldSeen = false
    while (this.offset < block.length) {
      const first = block[this.offset]
      if (first & 0x80) {
        const [name, value] = this.entry(this.integer(7))
        headers.push([name, value])
        fieldSeen = true
      } else if (first & 0x40) {
        const index = this.integer(6)
        const name = index === 0 ? this.string() : this.entry(index)[0]
        const value = this.string()
        headers.push([name, value])
        this.add(name, value)
        fieldSeen = true
      } else if (first & 0x20) {
        // A table size update must come first in a block (RFC 7541 section 4.2).
        if (fieldSeen) throw new HpackError('a dynamic table size update after a header field')
        const size = this.integer(5)
        if (size > this.maxTableSize) throw new HpackError(`table size update to ${size}, above the ${this.maxTableSize} allowed`)
        this.limit = size
        this.evict()
      } else {
        // Literal without indexing (0000) or never indexed (0001): a 4-bit name index.
        const index = this.integer(4)
        const name = index === 0 ? this.string() : this.entry(index)[0]
        headers.push([name, this.string()])
        fieldSeen = true
      }
    }
    return headers
  }

  private integer(prefixBits: number): number {
    const block = this.block
    const max = (1 << prefixBits) - 1
    let value = block[this.offset++] & max
    if (value < max) return value
    let shift = 0
    for (;;) {
      if (this.offset >= block.length) throw new HpackError('truncated integer')
      const byte = block[this.offset++]
      value += (byte & 0x7f) * 2 ** shift
      if (value > 0xffffffff) throw new HpackError('integer too large')
      if ((byte & 0x80) === 0) return value
      shift += 7
    }
  }

  private string(): string {
    const block = this.block
    if (this.offset >= block.length) throw new HpackError('truncated string')
    const huffman = (block[this.offset] & 0x80) !== 0
    const length = this.integer(7)
    if (this.offset + length > block.length) throw new HpackError('truncated string')
    const start = this.offset
    this.offset += length
    return huffman ? huffmanDecode(block.subarray(start, start + length)) : block.toString('latin1', start, start + length)
  }

  private entry(index: number): readonly [string, string] {
    if (index === 0) throw new HpackError('index 0')
    if (index <= STATIC_COUNT) return STATIC_TABLE[index - 1]
    const found = this.dynamic[index - STATIC_COUNT - 1]
    if (found === undefined) throw new HpackError(`index ${index} is beyond the table (${STATIC_COUNT + this.dynamic.length} entries)`)
    return found
  }

  private add(name: string, value: string): void {
    const size = entrySize(name, value)
    this.dynamic.unshift([name, value])
    this.size += size
    this.evict()
  }

  private evict(): void {
    while (this.size > this.limit && this.dynamic.length > 0) {
      const [name, value] = this.dynamic.pop()!
      this.size -= entrySize(name, value)
    }
  }
}

const staticNameIndex = new Map<string, number>()
STATIC_TABLE.forEach(([name], i) => {
  if (!staticNameIndex.has(name)) staticNameIndex.set(name, i + 1)
})
const staticPairIndex = new Map(STATIC_TABLE.map(([name, value], i) => [`${name}\0${value}`, i + 1]))

function writeInteger(out: number[], value: number, prefixBits: number, flags: number): void {
  const max = (1 << prefixBits) - 1
  if (value < max) {
    out.push(flags | value)
    return
  }
  out.push(flags | max)
  let rest = value - max
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80)
    rest = Math.floor(rest / 0x80)
  }
  out.push(rest)
}

function writeString(out: number[], text: string): void {
  const bytes = Buffer.from(text, 'latin1')
  writeInteger(out, bytes.length, 7, 0)
  for (const byte of bytes) out.push(byte)
}

/** A header block: fields the static table holds whole are indexed, the rest are literals never indexed. */
export function encodeHeaders(headers: HeaderList): Buffer {
  const out: number[] = []
  for (const [name, value] of headers) {
    const whole = staticPairIndex.get(`${name}\0${value}`)
    if (whole !== undefined) {
      writeInteger(out, whole, 7, 0x80)
      continue
    }
    const nameIndex = staticNameIndex.get(name)
    // 0001xxxx: a literal never indexed, so no table state is shared with the peer.
    writeInteger(out, nameIndex ?? 0, 4, 0x10)
    if (nameIndex === undefined) writeString(out, name)
    writeString(out, value)
  }
  return Buffer.from(out)
}

/**
 * Fields for a connection's encoder: `indexed` ones are added to the peer's table (when they fit) and sent as a
 * reference from then on, so they should be the same from call to call; `literal` ones are never indexed (values
 * that change per call, and anything a table should not keep).
 */
export interface HeaderFields {
  indexed: HeaderList
  literal?: HeaderList
}

/**
 * The encoder of one connection's header blocks, with a copy of the table the peer's decoder keeps: blocks must
 * go on the wire in the order they are encoded. A list of `indexed` fields whose table entries are all in place
 * is encoded once and its bytes reused while the table does not change.
 */
export class HpackEncoder {
  // Newest first, as the peer's decoder numbers them.
  private readonly dynamic: Array<readonly [string, string]> = []
  private size = 0
  // The peer's initial table size (RFC 9113 section 6.5.2), or less when its SETTINGS ask for less.
  private limit = 4096
  private sizeUpdate?: number
  // Bumped whenever the table changes: a cached block is good for the epoch it was made in.
  private epoch = 0
  private readonly cache = new WeakMap<HeaderList, {epoch: number; block: Buffer}>()

  /** The peer's SETTINGS_HEADER_TABLE_SIZE. A smaller table takes effect at once and the next block says so first. */
  setMaxTableSize(max: number): void {
    if (max >= this.limit) return
    this.limit = max
    this.sizeUpdate = max
    this.evict()
    this.epoch++
  }

  encode(fields: HeaderFields): Buffer {
    const block = this.encodeIndexed(fields.indexed)
    const literal = fields.literal
    return literal === undefined || literal.length === 0 ? block : Buffer.concat([block, encodeHeaders(literal)])
  }

  private encodeIndexed(list: HeaderList): Buffer {
    const cached = this.cache.get(list)
    if (cached !== undefined && cached.epoch === this.epoch) return cached.block
    const before = this.epoch
    const out: number[] = []
    if (this.sizeUpdate !== undefined) {
      writeInteger(out, this.sizeUpdate, 5, 0x20)
      this.sizeUpdate = undefined
      this.epoch++
    }
    for (const [name, value] of list) {
      const whole = staticPairIndex.get(`${name}\0${value}`)
      if (whole !== undefined) {
        writeInteger(out, whole, 7, 0x80)
        continue
      }
      const at = this.dynamic.findIndex(([n, v]) => n === name && v === value)
      if (at >= 0) {
        writeInteger(out, STATIC_COUNT + 1 + at, 7, 0x80)
        continue
      }
      const nameIndex = staticNameIndex.get(name)
      const fits = entrySize(name, value) <= this.limit
      // 01xxxxxx: a literal the peer adds to its table; 0001xxxx: one it never adds, for a field too large for it.
      writeInteger(out, nameIndex ?? 0, fits ? 6 : 4, fits ? 0x40 : 0x10)
      if (nameIndex === undefined) writeString(out, name)
      writeString(out, value)
      if (fits) this.add(name, value)
    }
    const block = Buffer.from(out)
    // A block that changed the table must not be sent again: the peer would add its entries twice.
    if (this.epoch === before) this.cache.set(list, {epoch: this.epoch, block})
    return block
  }

  private add(name: string, value: string): void {
    this.dynamic.unshift([name, value])
    this.size += entrySize(name, value)
    this.evict()
    this.epoch++
  }

  // As the peer's decoder evicts (RFC 7541 section 4.4): oldest first, until the table fits.
  private evict(): void {
    while (this.size > this.limit && this.dynamic.length > 0) {
      const [name, value] = this.dynamic.pop()!
      this.size -= entrySize(name, value)
    }
  }
}
