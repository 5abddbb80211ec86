/**
 * Bytes to text for the JUnit reader: the encoding is taken from a byte-order mark or the XML
 * declaration's `encoding` (UTF-8 when neither says), and multi-byte characters split across
 * chunks are joined. Bytes that are not valid in the encoding become U+FFFD rather than an error:
 * test output is often binary junk, and one bad byte should not cost the whole report.
 */

/** How far into the file the XML declaration is looked for. */
const SNIFF_BYTES = 512

/** The empty head every decoder starts with (never written to). */
const NO_BYTES = new Uint8Array(0)

/** Decodes a stream of byte chunks. Throws Error naming the encoding when it is one we cannot decode. */
export class ByteDecoder {
  private decoder?: InstanceType<typeof TextDecoder>
  private head: Uint8Array = NO_BYTES

  /** Returns the text of `bytes` that is complete so far. */
  decode(bytes: Uint8Array): string {
    if (this.decoder) return this.decoder.decode(bytes, { stream: true })
    // Usually the first chunk tells the encoding: it is used as is, not copied.
    if (this.head.length === 0) this.head = bytes
    else {
      const head = new Uint8Array(this.head.length + bytes.length)
      head.set(this.head)
      head.set(bytes, this.head.length)
      this.head = head
    }
    const label = sniffEncoding(this.head, false)
    if (label !== undefined) return this.start(label)
    // Held for the next chunk: a copy, as the caller may reuse the chunk's buffer.
    if (this.head === bytes) this.head = bytes.slice()
    return ''
  }

  /** Returns the text still held (a last partial character becomes U+FFFD). */
  end(): string {
    const text = this.decoder ? '' : this.start(sniffEncoding(this.head, true) ?? 'utf-8')
    return text + (this.decoder as InstanceType<typeof TextDecoder>).decode()
  }

  private start(label: string): string {
    try {
      this.decoder = new TextDecoder(label)
    } catch {
      throw new Error(`the XML declaration names encoding "${label}", which this reader cannot decode (use UTF-8)`)
    }
    const text = this.decoder.decode(this.head, { stream: true })
    this.head = NO_BYTES
    return text
  }
}

/** Returns the encoding label for a file starting with `head`, or undefined when more bytes are needed to tell. */
export function sniffEncoding(head: Uint8Array, final: boolean): string | undefined {
  // A byte-order mark may itself be split across chunks.
  if (!final && head.length < 3 && (head[0] === 0xef || ((head[0] === 0xff || head[0] === 0xfe) && head.length < 2))) return undefined
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8'
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le'
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be'
  // "<?xml": look for its encoding pseudo-attribute before the "?>".
  const prefix = [0x3c, 0x3f, 0x78, 0x6d, 0x6c]
  const n = Math.min(head.length, prefix.length)
  for (let i = 0; i < n; i++) if (head[i] !== prefix[i]) return 'utf-8'
  if (head.length < prefix.length && !final) return undefined
  let end = -1
  const limit = Math.min(head.length, SNIFF_BYTES)
  for (let i = 1; i < limit; i++) {
    if (head[i - 1] === 0x3f && head[i] === 0x3e) {
      end = i
      break
    }
  }
  if (end < 0) return final || head.length >= SNIFF_BYTES ? 'utf-8' : undefined
  let declaration = ''
  for (let i = 0; i < end; i++) declaration += String.fromCharCode(head[i])
  const match = /encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(declaration)
  return match ? match[1].toLowerCase() : 'utf-8'
}
