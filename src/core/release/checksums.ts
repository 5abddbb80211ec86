/**
 * Checksum files for release assets, in the format `sha256sum` and `sha512sum` write and
 * `sha256sum --check` reads: one `<hex>  <name>` line per file (two spaces: text mode), sorted by
 * name, ending with a newline.
 */
import { createHash } from 'node:crypto'

/** The checksum files a release carries, by asset name. */
export const CHECKSUM_FILES = { sha256: 'SHA256SUMS', sha512: 'SHA512SUMS' } as const

export type ChecksumAlgorithm = keyof typeof CHECKSUM_FILES

/** A file to checksum: its asset name and bytes. */
export interface ChecksumInput {
  name: string
  bytes: Uint8Array
}

/** Returns the lowercase hex digest of the bytes. */
export function hexDigest(algorithm: ChecksumAlgorithm, bytes: Uint8Array): string {
  return createHash(algorithm).update(bytes).digest('hex')
}

/**
 * Returns the checksum file's text for the files, sorted by name (byte order, as `LC_ALL=C sort`).
 * Throws when a name is empty, repeats, contains a newline or a backslash (which sha256sum would
 * escape), or is one of the checksum files themselves.
 */
export function checksumFile(algorithm: ChecksumAlgorithm, files: ChecksumInput[]): string {
  const seen = new Set<string>()
  for (const f of files) {
    if (!f.name || /[\n\r\\]/.test(f.name)) throw new Error(`asset name ${JSON.stringify(f.name)} cannot go in ${CHECKSUM_FILES[algorithm]}: it is empty or has a newline or backslash`)
    if (Object.values(CHECKSUM_FILES).includes(f.name as never)) throw new Error(`asset name "${f.name}" is reserved for the checksum file`)
    if (seen.has(f.name)) throw new Error(`asset name "${f.name}" is given twice`)
    seen.add(f.name)
  }
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  return sorted.map((f) => `${hexDigest(algorithm, f.bytes)}  ${f.name}\n`).join('')
}

/** Returns the files followed by SHA256SUMS and SHA512SUMS over them (what the release uploads). Throws as checksumFile does. */
export function withChecksums<T extends ChecksumInput>(files: T[]): ChecksumInput[] {
  return [
    ...files,
    { name: CHECKSUM_FILES.sha256, bytes: Buffer.from(checksumFile('sha256', files)) },
    { name: CHECKSUM_FILES.sha512, bytes: Buffer.from(checksumFile('sha512', files)) }
  ]
}
