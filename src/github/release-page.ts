/**
 * The GitHub Release of a cut, idempotent step by step: find the release by tag (drafts included,
 * which only the list shows), create a draft when there is none, upload the assets it lacks
 * (compared by name and sha256 digest), and publish it last. Publishing is the one irreversible
 * step, so everything before it can be redone at will.
 */
import { createHash } from 'node:crypto'
import type { GitHubClient } from './client.js'
import type { RepoRef } from './apply.js'
import type { PublishedRelease } from '../core/release/latest.js'

/** The part of GitHub's release object the steps use. */
export interface ReleaseRef {
  id: number
  tag_name: string
  name: string | null
  body?: string | null
  draft: boolean
  prerelease: boolean
  upload_url: string
  html_url: string
}

/** A file to attach to the release. */
export interface ReleaseFile {
  name: string
  bytes: Uint8Array
}

export interface DraftStep {
  tag: string
  name: string
  body: string
  prerelease: boolean
  /** Commit or branch the tag is at (recorded on the release; the tag itself is made by ensureTag). */
  target?: string
}

export type DraftOutcome = 'created' | 'exists' | 'updated' | 'published'
export type AssetOutcome = 'uploaded' | 'exists' | 'replaced'

const status = (err: unknown): number | undefined => (err as { status?: number }).status

/** Returns every release of the repository, drafts included when the token has push access (all pages). */
export async function listReleases(gh: GitHubClient, where: RepoRef): Promise<(ReleaseRef & PublishedRelease & { tagName: string })[]> {
  const all = await gh.paginate(gh.rest.repos.listReleases, { ...where, per_page: 100 })
  return all.map((r) => ({ ...r, tagName: r.tag_name }))
}

/**
 * Returns the release for `tag` (a published one first, else the oldest draft), or undefined. Reads
 * the list, since GitHub finds drafts by neither tag nor name.
 */
export async function findRelease(gh: GitHubClient, where: RepoRef, tag: string): Promise<ReleaseRef | undefined> {
  const mine = (await listReleases(gh, where)).filter((r) => r.tag_name === tag)
  return mine.find((r) => !r.draft) ?? mine.sort((a, b) => a.id - b.id)[0]
}

/**
 * Makes sure a release for `step.tag` exists: creates a draft when there is none ('created'),
 * brings an existing draft's name, body and prerelease flag up to date ('updated', or 'exists' when
 * they already match), and leaves a published release alone ('published': the cut already
 * finished this step and the next ones). Returns the outcome and the release. Throws on API failures.
 */
export async function ensureDraftRelease(gh: GitHubClient, where: RepoRef, step: DraftStep): Promise<{ outcome: DraftOutcome; release: ReleaseRef }> {
  const found = await findRelease(gh, where, step.tag)
  if (found && !found.draft) return { outcome: 'published', release: found }
  if (found) {
    if (found.name === step.name && (found.body ?? '') === step.body && found.prerelease === step.prerelease) return { outcome: 'exists', release: found }
    const { data } = await gh.rest.repos.updateRelease({ ...where, release_id: found.id, name: step.name, body: step.body, prerelease: step.prerelease })
    return { outcome: 'updated', release: data }
  }
  const { data } = await gh.rest.repos.createRelease({
    ...where,
    tag_name: step.tag,
    name: step.name,
    body: step.body,
    draft: true,
    prerelease: step.prerelease,
    ...(step.target ? { target_commitish: step.target } : {})
  })
  return { outcome: 'created', release: data }
}

/** Returns `sha256:<hex>`, the form of GitHub's asset digest. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
}

/** Uploads one asset to the release's upload_url (uploads.github.com on GitHub) and returns its id. */
async function upload(gh: GitHubClient, release: ReleaseRef, file: ReleaseFile): Promise<number> {
  // Octokit expands the upload_url template ({?name,label}) with `name`.
  const { data } = await gh.request({
    method: 'POST',
    url: release.upload_url,
    name: file.name,
    data: Buffer.from(file.bytes),
    headers: { 'content-type': 'application/octet-stream', 'content-length': file.bytes.length }
  })
  return (data as { id: number }).id
}

/**
 * Makes sure the release carries each file once with the same bytes: an asset with the file's name
 * and sha256 digest is kept ('exists'), a missing one uploaded ('uploaded'), and one with other bytes
 * (or an unfinished upload) deleted and uploaded again ('replaced', drafts only). Returns the outcome
 * per file name, in the order given. Throws when a published release has an asset with other bytes
 * (a published release's files are not swapped), and on API failures; a re-run resumes.
 */
export async function ensureAssets(gh: GitHubClient, where: RepoRef, release: ReleaseRef, files: ReleaseFile[]): Promise<Record<string, AssetOutcome>> {
  const names = new Set<string>()
  for (const f of files) {
    if (names.has(f.name)) throw new Error(`asset ${JSON.stringify(f.name)} is given twice`)
    names.add(f.name)
  }
  const assets = await gh.paginate(gh.rest.repos.listReleaseAssets, { ...where, release_id: release.id, per_page: 100 })
  const outcomes: Record<string, AssetOutcome> = {}
  for (const file of files) {
    const digest = sha256Digest(file.bytes)
    const existing = assets.find((a) => a.name === file.name)
    if (existing && existing.state === 'uploaded' && existing.digest === digest) {
      outcomes[file.name] = 'exists'
      continue
    }
    if (existing) {
      if (!release.draft) {
        throw new Error(`release ${release.tag_name} is published and its asset ${file.name} has digest ${existing.digest ?? 'unknown'}, not ${digest}; a published release's files are not replaced`)
      }
      try {
        await gh.rest.repos.deleteReleaseAsset({ ...where, asset_id: existing.id })
      } catch (err) {
        if (status(err) !== 404) throw err
      }
    }
    await upload(gh, release, file)
    outcomes[file.name] = existing ? 'replaced' : 'uploaded'
  }
  return outcomes
}

/**
 * Publishes the draft (the cut's last, irreversible step) with `make_latest` "true" or "false"
 * (see core/release/latest.ts for when a release is latest). Returns 'exists' when the release is
 * already published, reading it again first so a re-run after a publish whose answer was lost does
 * nothing. Throws on API failures.
 */
export async function publish(gh: GitHubClient, where: RepoRef, release: ReleaseRef, makeLatest: boolean): Promise<{ outcome: 'published' | 'exists'; release: ReleaseRef }> {
  const { data: current } = await gh.rest.repos.getRelease({ ...where, release_id: release.id })
  if (!current.draft) return { outcome: 'exists', release: current }
  const { data } = await gh.rest.repos.updateRelease({ ...where, release_id: release.id, draft: false, make_latest: makeLatest ? 'true' : 'false' })
  return { outcome: 'published', release: data }
}
