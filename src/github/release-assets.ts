/**
 * The files a release attaches: paths in the workspace (a directory means every file directly in
 * it) and the files of an artifact uploaded earlier in the same workflow run, downloaded with
 * `@actions/artifact`. Each is attached under its file name; two files with one name, a reserved
 * name or a path that does not exist are refused before anything is written, naming the input.
 */
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { CHECKSUM_FILES } from '../core/release/checksums.js'
import type { ReleaseFile } from './release-page.js'

/** What the cut needs of `@actions/artifact`'s client (its `DefaultArtifactClient` fits). */
export interface ArtifactDownloader {
  getArtifact(name: string): Promise<{ artifact: { id: number; name: string } }>
  downloadArtifact(id: number, options: { path: string }): Promise<{ downloadPath?: string }>
}

export interface AssetInputs {
  /** Paths from the `assets` input: as written, and resolved in the workspace. */
  paths: { input: string; path: string }[]
  /** The `artifact` input: an artifact of this workflow run. */
  artifact?: string
  tempDir: string
  /** Default: `@actions/artifact`'s DefaultArtifactClient. */
  downloader?: ArtifactDownloader
}

/** Returns the files to attach, in input order. Throws an Error naming the input and the problem. */
export async function readAssetInputs(inputs: AssetInputs): Promise<ReleaseFile[]> {
  const files: (ReleaseFile & { from: string })[] = []
  for (const { input, path } of inputs.paths) {
    const info = await stat(path).catch(() => null)
    if (!info) throw new Error(`input assets: ${input} does not exist in the workspace`)
    if (info.isDirectory()) {
      const entries = (await readdir(path, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name).sort()
      if (entries.length === 0) throw new Error(`input assets: the directory ${input} holds no file`)
      for (const name of entries) files.push({ name, bytes: await readFile(join(path, name)), from: `${input}/${name}` })
    } else if (info.isFile()) files.push({ name: basename(path), bytes: await readFile(path), from: input })
    else throw new Error(`input assets: ${input} is neither a file nor a directory`)
  }
  if (inputs.artifact) {
    const downloader = inputs.downloader ?? (await defaultDownloader())
    const found = await downloader.getArtifact(inputs.artifact).catch((err: Error) => {
      throw new Error(`input artifact: no artifact named "${inputs.artifact}" in this workflow run (${err.message})`)
    })
    const dir = await mkdtemp(join(inputs.tempDir, 'shepherd-assets-'))
    const { downloadPath } = await downloader.downloadArtifact(found.artifact.id, { path: dir })
    const walk = async (d: string, rel: string): Promise<void> => {
      for (const e of (await readdir(d, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        if (e.isDirectory()) await walk(join(d, e.name), `${rel}${e.name}/`)
        else if (e.isFile()) files.push({ name: e.name, bytes: await readFile(join(d, e.name)), from: `artifact ${inputs.artifact}: ${rel}${e.name}` })
      }
    }
    await walk(downloadPath ?? dir, '')
  }
  const byName = new Map<string, string>()
  for (const f of files) {
    if ((Object.values(CHECKSUM_FILES) as string[]).includes(f.name)) throw new Error(`${f.from}: the name ${f.name} is reserved for the checksums the release adds`)
    const seen = byName.get(f.name)
    if (seen) throw new Error(`two assets are named ${f.name} (${seen} and ${f.from}): a release attaches each name once`)
    byName.set(f.name, f.from)
  }
  return files.map(({ name, bytes }) => ({ name, bytes }))
}

async function defaultDownloader(): Promise<ArtifactDownloader> {
  const { DefaultArtifactClient } = await import('@actions/artifact')
  return new DefaultArtifactClient() as unknown as ArtifactDownloader
}
