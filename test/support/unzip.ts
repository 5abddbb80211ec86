import { Readable } from 'node:stream'
import unzipStream from 'unzip-stream'

/**
 * The files of a zip (an artifact as uploaded), read with unzip-stream, which @actions/artifact
 * downloads with. An entry's data may still be inflating when the parser closes: every entry's
 * end is awaited.
 */
export async function unzipFiles(zip: Buffer): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>()
  const ends: Promise<void>[] = []
  await new Promise<void>((resolve, reject) => {
    const parser = unzipStream.Parse()
    parser.on('entry', (entry: NodeJS.ReadableStream & { path: string }) => {
      const chunks: Buffer[] = []
      entry.on('data', (c: Buffer) => chunks.push(c))
      ends.push(
        new Promise<void>((done, fail) => {
          entry.on('end', () => done(void files.set(entry.path, Buffer.concat(chunks))))
          entry.on('error', fail)
        })
      )
    })
    parser.on('close', resolve)
    parser.on('error', reject)
    Readable.from([zip]).pipe(parser)
  })
  await Promise.all(ends)
  return files
}
