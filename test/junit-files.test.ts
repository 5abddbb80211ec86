/**
 * JUnit files from disk (src/junit/files.ts): the chunks, read into two buffers that take turns
 * while the next read is under way, are the file's bytes in order whatever the chunk size; a
 * consumer that stops early (a malformed file) leaves no read behind and the file is closed.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileChunks, readJUnitFiles } from '../src/junit/files.js'

const dir = mkdtempSync(join(tmpdir(), 'junit-files-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function report(cases: number): string {
  let xml = '<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="s">\n'
  for (let i = 0; i < cases; i++) xml += `  <testcase classname="c.Test${i % 3}" name="t${i} é" time="0.${i % 10}"/>\n`
  return xml + '</testsuite>\n'
}

describe('fileChunks', () => {
  it.each([1, 7, 64, 4096, 1 << 20])('yields the file’s bytes in order in chunks of at most %i bytes', async (chunkBytes) => {
    const path = join(dir, `bytes-${chunkBytes}.bin`)
    const bytes = Buffer.from(Array.from({ length: 3_000 }, (_, i) => (i * 31 + (i >> 8)) & 0xff))
    writeFileSync(path, bytes)
    const pieces: Buffer[] = []
    let at = 0
    for await (const chunk of fileChunks(path, chunkBytes)) {
      expect(chunk.length).toBeGreaterThan(0)
      expect(chunk.length).toBeLessThanOrEqual(chunkBytes)
      // The read ahead finishes meanwhile, into the other buffer: this chunk is still intact.
      if (pieces.length < 5) await new Promise((resolve) => setTimeout(resolve, 5))
      expect(Buffer.from(chunk).equals(bytes.subarray(at, at + chunk.length))).toBe(true)
      at += chunk.length
      pieces.push(Buffer.from(chunk))
    }
    expect(Buffer.concat(pieces).equals(bytes)).toBe(true)
  })

  it('yields nothing for an empty file', async () => {
    const path = join(dir, 'empty.xml')
    writeFileSync(path, '')
    const chunks: Uint8Array[] = []
    for await (const chunk of fileChunks(path)) chunks.push(chunk)
    expect(chunks).toEqual([])
  })

  it('lets a consumer stop after the first chunk, with the read ahead finished and the file closed', async () => {
    const path = join(dir, 'stop.bin')
    writeFileSync(path, Buffer.alloc(100_000, 0x41))
    for await (const chunk of fileChunks(path, 1000)) {
      expect(chunk[0]).toBe(0x41)
      break
    }
    // Closed: the file can be removed and written again (and nothing rejects later).
    rmSync(path)
    writeFileSync(path, 'x')
    await new Promise((resolve) => setTimeout(resolve, 20))
  })

  it('gives two files read at once their own buffers, and the next files the buffers they leave', async () => {
    const files = [0, 1, 2, 3].map((k) => {
      const path = join(dir, `pair-${k}.bin`)
      writeFileSync(path, Buffer.alloc(5_000 + k * 777, 0x61 + k))
      return path
    })
    const drain = async (path: string) => {
      const pieces: Buffer[] = []
      for await (const chunk of fileChunks(path, 1000)) {
        await new Promise((resolve) => setTimeout(resolve, 1))
        pieces.push(Buffer.from(chunk))
      }
      return Buffer.concat(pieces)
    }
    // One after another, each in the buffers the one before left.
    expect((await drain(files[2])).equals(Buffer.alloc(6_554, 0x63))).toBe(true)
    expect((await drain(files[3])).equals(Buffer.alloc(7_331, 0x64))).toBe(true)
    // Then interleaved, in those buffers: each iteration's chunks stay its own while the other reads.
    const [a, b] = await Promise.all([drain(files[0]), drain(files[1])])
    expect(a.equals(Buffer.alloc(5_000, 0x61))).toBe(true)
    expect(b.equals(Buffer.alloc(5_777, 0x62))).toBe(true)
  })

  it('rejects with the file system’s error for a missing file', async () => {
    await expect(fileChunks(join(dir, 'missing.xml')).next()).rejects.toMatchObject({ code: 'ENOENT' })
  })
})

describe('readJUnitFiles', () => {
  it('reads a report from disk', async () => {
    const path = join(dir, 'report.xml')
    writeFileSync(path, report(500))
    const [whole] = await readJUnitFiles([path])
    expect(whole.error).toBeUndefined()
    expect(whole.runs).toEqual({ total: 500, passed: 500, failed: 0, errored: 0, skipped: 0 })
    expect(whole.results.toArray().map((r) => r.name).slice(0, 2)).toEqual(['t0 é', 't1 é'])
  })

  it('reports a malformed file whose reading stopped early, and still reads the next file', async () => {
    const bad = join(dir, 'bad.xml')
    writeFileSync(bad, '<testsuite><testcase name="a"/><!DOCTYPE x>' + ' '.repeat(2_000_000) + '</testsuite>')
    const good = join(dir, 'good.xml')
    writeFileSync(good, report(3))
    const [first, second] = await readJUnitFiles([bad, good])
    expect(first.error).toMatchObject({ file: bad, line: 1, column: 32 })
    expect(first.runs.total).toBe(1)
    expect(second.error).toBeUndefined()
    expect(second.runs.total).toBe(3)
  })
})
