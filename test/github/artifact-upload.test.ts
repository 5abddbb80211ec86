import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { promisify } from 'node:util'
import { unzipFiles } from '../support/unzip.js'
import { Simulator } from '../../src/sim/server.js'
import { artifactEnv } from '../../src/sim/artifacts/index.js'
import { artifactStore } from '../../src/sim/artifacts/store.js'
import { artifactLibrary } from '../support/artifact-library.js'
import { ArtifactUploader, zipStream } from '../../src/github/artifact-upload.js'
import { seededRandom } from '../../src/core/random.js'

// What Shepherd uploads, @actions/artifact downloads (test/support/artifact-library.ts runs it as an action would).
const run = promisify(execFile)

let sim: Simulator
let tmp: string
let src: string
let runId = 300

const envFor = (id: number) => ({ ...artifactEnv(sim.url, id), GITHUB_SERVER_URL: 'https://github.com', GITHUB_RETENTION_DAYS: '90' })

const library = (id: number, op: string, ...args: unknown[]) => artifactLibrary(sim.url, tmp, id, op, ...args)

/** Digests, not bytes: Jest compares Buffers element by element, seconds for megabytes. */
const digest = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
const digests = (files: Map<string, Buffer>) => new Map([...files].map(([name, bytes]) => [name, digest(bytes)]))

/** SHA-256 of each file under `dir`, by path. */
async function tree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out.set(relative(dir, join(e.parentPath, e.name)), digest(await readFile(join(e.parentPath, e.name))))
  }
  return out
}


/**
 * Checks a zip's records against each other: every central directory entry points at a local
 * header of its name, and the data descriptor after the entry's data repeats its CRC-32 and sizes
 * (readers use one or the other: Info-ZIP the directory, streaming readers the descriptor).
 */
function checkRecords(zip: Buffer): number {
  const end = zip.length - 22
  expect(zip.readUInt32LE(end)).toBe(0x06054b50)
  const entries = zip.readUInt16LE(end + 10)
  let p = zip.readUInt32LE(end + 16)
  for (let k = 0; k < entries; k++) {
    expect(zip.readUInt32LE(p)).toBe(0x02014b50)
    const [crc, compressed, size, nameLength] = [zip.readUInt32LE(p + 16), zip.readUInt32LE(p + 20), zip.readUInt32LE(p + 24), zip.readUInt16LE(p + 28)]
    const name = zip.subarray(p + 46, p + 46 + nameLength)
    const local = zip.readUInt32LE(p + 42)
    expect(zip.readUInt32LE(local)).toBe(0x04034b50)
    expect(zip.subarray(local + 30, local + 30 + nameLength).equals(name)).toBe(true)
    const descriptor = local + 30 + nameLength + compressed
    expect([zip.readUInt32LE(descriptor), zip.readUInt32LE(descriptor + 4), zip.readUInt32LE(descriptor + 8), zip.readUInt32LE(descriptor + 12)]).toEqual([0x08074b50, crc, compressed, size])
    p += 46 + nameLength
  }
  return entries
}

async function collect(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const b of stream) parts.push(b)
  return Buffer.concat(parts)
}

beforeAll(async () => {
  sim = await Simulator.start({ fixture: { repos: [{ owner: 'acme', name: 'widgets' }] } })
  tmp = await mkdtemp(join(tmpdir(), 'artifact-upload-'))
  src = join(tmp, 'src')
  await mkdir(join(src, 'nested', 'déjà vu'), { recursive: true })
  await writeFile(join(src, 'report.md'), '# Report\n\n'.repeat(50_000))
  await writeFile(join(src, 'empty.txt'), '')
  await writeFile(join(tmp, 'outside.txt'), 'not under src\n')
  await writeFile(join(src, 'nested', 'déjà vu', 'noise.bin'), randomBytes(3 * 1024 * 1024 + 17))
}, 60000)

afterAll(async () => {
  await sim.stop()
  await rm(tmp, { recursive: true, force: true })
})

const files = () => [join(src, 'report.md'), join(src, 'empty.txt'), join(src, 'nested', 'déjà vu', 'noise.bin')]

describe('ArtifactUploader', () => {
  it('uploads a zip in one Put Blob that @actions/artifact downloads as the same files', async () => {
    const id = ++runId
    const from = sim.requests.length
    const up = await new ArtifactUploader({ env: envFor(id) }).uploadArtifact('report', files(), src, { compressionLevel: 1, retentionDays: 5 })
    const log = sim.requests.slice(from)
    expect(log.filter((r) => r.path.startsWith('/_blob/')).map((r) => `${r.method} ${r.status}`)).toEqual(['PUT 201'])
    expect(log.filter((r) => r.path.includes('/twirp/')).map((r) => r.path.split('/').pop())).toEqual(['CreateArtifact', 'FinalizeArtifact'])
    const dir = join(tmp, `down-${id}`)
    const down = await library(id, 'downloadArtifact', up.id, { path: dir })
    expect(down).toMatchObject({ ok: true, value: { digestMismatch: false } })
    expect(await tree(dir)).toEqual(await tree(src))
    const stored = artifactStore(sim.state).artifacts.get(up.id)!
    expect(stored.blob.contentType).toBe('application/zip')
    // retentionDays: 5, under the repository's 90.
    expect(Math.abs(Date.parse(stored.expiresAt) - Date.now() - 5 * 86_400_000)).toBeLessThan(600_000)
    const listed = await library(id, 'getArtifact', 'report')
    expect(listed).toMatchObject({ ok: true, value: { artifact: { id: up.id, size: up.size, digest: `sha256:${up.digest}` } } })
  }, 60000)

  it('stages blocks and commits their list when the zip outgrows a block', async () => {
    const id = ++runId
    const from = sim.requests.length
    const up = await new ArtifactUploader({ env: envFor(id), blockBytes: 1024 * 1024 }).uploadArtifact('blocks', files(), src)
    const puts = sim.requests.slice(from).filter((r) => r.path.startsWith('/_blob/'))
    // 3 MiB of noise: three full blocks and a short one, then the list.
    expect(puts.length).toBe(5)
    expect(up.size).toBeGreaterThan(3 * 1024 * 1024)
    const dir = join(tmp, `down-${id}`)
    expect(await library(id, 'downloadArtifact', up.id, { path: dir })).toMatchObject({ ok: true })
    expect(await tree(dir)).toEqual(await tree(src))
  }, 60000)

  it('uploads one file raw (skipArchive) under its own name', async () => {
    const id = ++runId
    const up = await new ArtifactUploader({ env: envFor(id) }).uploadArtifact('ignored', [join(src, 'report.md')], src, { skipArchive: true })
    const dir = join(tmp, `down-${id}`)
    expect(await library(id, 'downloadArtifact', up.id, { path: dir, skipDecompress: true })).toMatchObject({ ok: true })
    const got = await tree(dir)
    expect([...got.keys()]).toEqual(['report.md'])
    expect(got.get('report.md')).toBe(digest(await readFile(join(src, 'report.md'))))
  }, 60000)

  it('retries a server error and refuses what the service refuses, naming it', async () => {
    const id = ++runId
    sim.setFaults([{ match: '/twirp/', kind: 'status', status: 503, times: 1 }, { match: '/_blob/', kind: 'status', status: 500, times: 1 }])
    const uploader = new ArtifactUploader({ env: envFor(id), retryMs: 1 })
    const up = await uploader.uploadArtifact('again', [join(src, 'empty.txt')], src)
    sim.setFaults([])
    expect(up.id).toBeGreaterThan(0)
    await expect(uploader.uploadArtifact('again', [join(src, 'empty.txt')], src)).rejects.toThrow(/CreateArtifact answered 409: an artifact with this name already exists/)
    sim.setFaults([{ match: '/_blob/', kind: 'status', status: 503 }])
    await expect(new ArtifactUploader({ env: envFor(id), retryMs: 1, attempts: 3 }).uploadArtifact('down', [join(src, 'empty.txt')], src)).rejects.toThrow(
      /after 3 attempts: Put Blob answered 503/
    )
    sim.setFaults([])
  }, 60000)

  it('zips documents as they render (pieces, multi-byte text, whole strings and bytes) into what @actions/artifact downloads', async () => {
    const id = ++runId
    // Pieces of every size around the batch (64 Ki characters) and its buffer (256 KiB), in ASCII,
    // two-, three- and four-byte UTF-8: a batch of them may need three bytes a character.
    const random = seededRandom(7)
    const alphabet = ['a', 'é', '€', '😀', '\n', '`']
    const pieces: string[] = []
    for (let k = 0; k < 400; k++) {
      const size = [1, 17, 1000, 40_000, 70_000, 200_000][Math.floor(random() * 6)]
      pieces.push(alphabet[Math.floor(random() * alphabet.length)].repeat(size))
    }
    let rendered = 0
    const documents = {
      'report.md': () => {
        rendered++
        return pieces.values()
      },
      'nested/whole.json': () => JSON.stringify({ pieces: pieces.length }),
      'bytes.bin': new Uint8Array(randomBytes(100_000)),
      'empty.txt': ''
    }
    const up = await new ArtifactUploader({ env: envFor(id), blockBytes: 1024 * 1024 }).uploadDocuments('documents', documents, { compressionLevel: 1 })
    expect(rendered).toBe(1)
    const dir = join(tmp, `down-${id}`)
    expect(await library(id, 'downloadArtifact', up.id, { path: dir })).toMatchObject({ ok: true, value: { digestMismatch: false } })
    const expected = new Map([
      ['report.md', digest(Buffer.from(pieces.join('')))],
      [join('nested', 'whole.json'), digest(Buffer.from(JSON.stringify({ pieces: pieces.length })))],
      ['bytes.bin', digest(Buffer.from(documents['bytes.bin']))],
      ['empty.txt', digest(Buffer.alloc(0))]
    ])
    expect(await tree(dir)).toEqual(expected)
  }, 120000)

  it('finalizes no artifact when a document fails to render, and refuses bad document names before any request', async () => {
    const id = ++runId
    const from = sim.requests.length
    const uploader = new ArtifactUploader({ env: envFor(id) })
    await expect(uploader.uploadDocuments('ok', { '../up.md': 'x' })).rejects.toThrow(/document "\.\.\/up\.md" is not a path inside the zip/)
    await expect(uploader.uploadDocuments('ok', { 'dir/': 'x' })).rejects.toThrow(/zip entry "dir\/": not a file name/)
    await expect(uploader.uploadDocuments('ok', {})).rejects.toThrow(/artifact ok: no files to upload/)
    await expect(uploader.uploadDocuments('a:b', { 'x.md': 'x' })).rejects.toThrow(/artifact name "a:b"/)
    expect(sim.requests.length).toBe(from)
    function* failing(): Generator<string> {
      yield 'a'.repeat(200_000)
      throw new Error('the renderer broke')
    }
    await expect(uploader.uploadDocuments('broken', { 'ok.md': 'fine', 'broken.md': () => failing() })).rejects.toThrow(/zip entry broken\.md: the renderer broke/)
    const twirp = sim.requests.slice(from).filter((r) => r.path.includes('/twirp/')).map((r) => r.path.split('/').pop())
    expect(twirp).toEqual(['CreateArtifact'])
    expect(await library(id, 'getArtifact', 'broken')).toMatchObject({ ok: false })
  }, 60000)

  it('renders while CreateArtifact is answered, and stops rendering when the service refuses it', async () => {
    const id = ++runId
    const uploader = new ArtifactUploader({ env: envFor(id) })
    // Answered 300 ms late: the document is rendered by then (the log lists a request once answered).
    sim.setFaults([{ match: '/twirp/', kind: 'latency', latencyMs: 300, times: 1 }])
    const from = sim.requests.length
    let answeredWhenRendered: string[] | undefined
    function* report(): Generator<string> {
      for (let k = 0; k < 100; k++) yield `line ${k}\n`
      answeredWhenRendered = sim.requests.slice(from).map((r) => r.path.split('/').pop()!)
    }
    const up = await uploader.uploadDocuments('early', { 'report.md': () => report() })
    sim.setFaults([])
    expect(answeredWhenRendered).toEqual([])
    expect(sim.requests.slice(from).map((r) => r.path.split('/').pop())).toEqual(['CreateArtifact', String(up.id), 'FinalizeArtifact'])
    expect(up.id).toBeGreaterThan(0)

    // Refused: the renderer, which would never end, is stopped at its next piece and the refusal is the error.
    sim.setFaults([{ match: '/twirp/', kind: 'status', status: 403, times: 1 }])
    let rendered = 0
    function* endless(): Generator<string> {
      for (;;) {
        rendered++
        yield 'x'.repeat(10_000)
      }
    }
    await expect(uploader.uploadDocuments('refused', { 'endless.md': () => endless() })).rejects.toThrow(/CreateArtifact answered 403/)
    sim.setFaults([])
    expect(rendered).toBeLessThan(100_000)
  }, 60000)

  it('says what is wrong with bad input before it calls the service', async () => {
    const from = sim.requests.length
    const env = envFor(++runId)
    const up = (name: string, paths: string[], options = {}, e: NodeJS.ProcessEnv = env) => new ArtifactUploader({ env: e }).uploadArtifact(name, paths, src, options)
    await expect(up('a/b', files())).rejects.toThrow(/artifact name "a\/b" is empty or holds one of/)
    await expect(up('ok', files(), { compressionLevel: 10 })).rejects.toThrow(/compression level 10 is not an integer from 0 to 9/)
    await expect(up('ok', files(), { skipArchive: true })).rejects.toThrow(/takes one file, not 3/)
    await expect(up('ok', [join(tmp, 'outside.txt')])).rejects.toThrow(/outside\.txt is not under/)
    await expect(up('ok', [join(src, 'missing.txt')])).rejects.toThrow(/missing\.txt is not a file/)
    await expect(up('ok', files(), {}, { ...env, ACTIONS_RUNTIME_TOKEN: '' })).rejects.toThrow(/ACTIONS_RUNTIME_TOKEN is not set/)
    await expect(up('ok', files(), {}, { ...env, ACTIONS_RUNTIME_TOKEN: 'a.b.c' })).rejects.toThrow(/not a JWT whose scp claim grants Actions\.Results/)
    await expect(up('ok', files(), {}, { ...env, GITHUB_SERVER_URL: 'https://ghes.example.com' })).rejects.toThrow(/not on GitHub Enterprise Server \(ghes\.example\.com\)/)
    expect(sim.requests.length).toBe(from)
  })
})

describe('zipStream', () => {
  it('writes zips that unzip-stream and Info-ZIP read back byte for byte (random files)', async () => {
    const random = seededRandom(42)
    for (let round = 0; round < 12; round++) {
      const dir = join(tmp, `fuzz-${round}`)
      const entries: { path: string; name: string }[] = []
      const n = 1 + Math.floor(random() * 6)
      for (let k = 0; k < n; k++) {
        const size = [0, 1, 100, 70_000, 1_200_000][Math.floor(random() * 5)] + Math.floor(random() * 50)
        // Some compressible, some not.
        const data = random() < 0.5 ? randomBytes(size) : Buffer.from('abc\n'.repeat(size).slice(0, size))
        const name = `${k % 2 ? 'sub/' : ''}f${k}-${round}${k === 3 ? '-ünï' : ''}.dat`
        await mkdir(join(dir, k % 2 ? 'sub' : ''), { recursive: true })
        await writeFile(join(dir, name), data)
        entries.push({ path: join(dir, name), name })
      }
      const level = Math.floor(random() * 10)
      const zip = await collect(zipStream(entries, level))
      expect(checkRecords(zip)).toBe(entries.length)
      const expected = new Map(await Promise.all(entries.map(async (e) => [e.name, await readFile(e.path)] as const)))
      expect(digests(await unzipFiles(zip))).toEqual(digests(expected))
      const file = join(tmp, `fuzz-${round}.zip`)
      await writeFile(file, zip)
      const { stdout } = await run('unzip', ['-t', file])
      expect(stdout).toMatch(/No errors detected/)
      for (const e of entries) {
        const { stdout: bytes } = await run('unzip', ['-p', file, e.name], { encoding: 'buffer', maxBuffer: 8 * 1024 * 1024 })
        expect(bytes.equals(expected.get(e.name)!)).toBe(true)
      }
    }
  }, 120000)

  it('fails naming the entry when a file cannot be read', async () => {
    await expect(collect(zipStream([{ path: join(tmp, 'nope'), name: 'nope.txt' }], 1))).rejects.toThrow(/nope/)
  })
})
