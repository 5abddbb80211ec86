import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checksumFile, withChecksums } from '../../src/core/release/checksums.js'

const files = [
  { name: 'widget-linux-amd64.tar.gz', bytes: Buffer.from([0x1f, 0x8b, 0, 1, 2, 3]) },
  { name: 'Widget-darwin.zip', bytes: Buffer.from('PK zip bytes') },
  { name: 'notes.txt', bytes: Buffer.from('') }
]

/** What the coreutils tool prints for the same files, run in a directory holding them. */
function coreutils(tool: 'sha256sum' | 'sha512sum'): string {
  const dir = mkdtempSync(join(tmpdir(), 'sums-'))
  try {
    for (const f of files) writeFileSync(join(dir, f.name), f.bytes)
    const names = files.map((f) => f.name).sort((a, b) => (a < b ? -1 : 1))
    return execFileSync(tool, names, { cwd: dir, encoding: 'utf8' })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

describe('checksum files', () => {
  it('match sha256sum and sha512sum byte for byte, sorted by name in byte order', () => {
    expect(checksumFile('sha256', files)).toBe(coreutils('sha256sum'))
    expect(checksumFile('sha512', files)).toBe(coreutils('sha512sum'))
    expect(checksumFile('sha256', files).split('\n').map((l) => l.split('  ')[1])).toEqual(['Widget-darwin.zip', 'notes.txt', 'widget-linux-amd64.tar.gz', undefined])
  })

  it('pass sha256sum --check', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sums-'))
    try {
      for (const f of withChecksums(files)) writeFileSync(join(dir, f.name), f.bytes)
      expect(execFileSync('sha256sum', ['--check', '--strict', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' })).toMatch(/widget-linux-amd64.tar.gz: OK/)
      expect(execFileSync('sha512sum', ['--check', '--strict', 'SHA512SUMS'], { cwd: dir, encoding: 'utf8' }).trim().split('\n')).toHaveLength(3)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('adds SHA256SUMS and SHA512SUMS after the files', () => {
    expect(withChecksums(files).map((f) => f.name)).toEqual([...files.map((f) => f.name), 'SHA256SUMS', 'SHA512SUMS'])
  })

  it('refuses a repeated name, a checksum file’s own name, and a name with a newline', () => {
    expect(() => checksumFile('sha256', [files[0], files[0]])).toThrow(/"widget-linux-amd64.tar.gz" is given twice/)
    expect(() => checksumFile('sha256', [{ name: 'SHA256SUMS', bytes: Buffer.from('x') }])).toThrow(/reserved/)
    expect(() => checksumFile('sha512', [{ name: 'a\nb', bytes: Buffer.from('x') }])).toThrow(/"a\\nb" cannot go in SHA512SUMS/)
  })
})
