/**
 * The refs a release cut writes, each step idempotent (krel's "tag exists: verify, don't recreate"):
 * read the ref first, write only when it is missing, and refuse when it exists somewhere the cut
 * did not put it. A re-run after a crash or a failed request therefore finishes the cut instead of
 * duplicating or moving anything.
 */
import type { GitHubClient } from './client.js'
import type { RepoRef } from './apply.js'

/** What a step did: wrote the thing, or found it already in place. */
export type RefOutcome = 'created' | 'exists'

/** A tag the cut wants: its name, the commit, and the annotated tag's message. */
export interface WantedTag {
  tag: string
  sha: string
  message: string
}

/** Thrown when a ref exists but not where the cut wants it; nothing was written by the step. */
export class RefConflictError extends Error {
  constructor(
    message: string,
    readonly ref: string,
    readonly expected: string,
    readonly actual: string
  ) {
    super(message)
    this.name = 'RefConflictError'
  }
}

const status = (err: unknown): number | undefined => (err as { status?: number }).status

/** Returns the object a ref points at, or null when the ref does not exist. */
async function readRef(gh: GitHubClient, where: RepoRef, ref: string): Promise<{ sha: string; type: string } | null> {
  try {
    const { data } = await gh.rest.git.getRef({ ...where, ref })
    return { sha: data.object.sha, type: data.object.type }
  } catch (err) {
    if (status(err) === 404) return null
    throw err
  }
}

/** Returns the commit a tag peels to (through an annotated tag object). */
async function peeledTag(gh: GitHubClient, where: RepoRef, tag: string): Promise<string> {
  const { data } = await gh.rest.repos.getCommit({ ...where, ref: `tags/${tag}` })
  return data.sha
}

/**
 * Returns where a tag exists: null when it does not, else the commit it peels to and whether it is
 * annotated. Throws on API failures.
 */
export async function readTag(gh: GitHubClient, where: RepoRef, tag: string): Promise<{ sha: string; annotated: boolean } | null> {
  const ref = await readRef(gh, where, `tags/${tag}`)
  if (!ref) return null
  return { sha: ref.type === 'commit' ? ref.sha : await peeledTag(gh, where, tag), annotated: ref.type === 'tag' }
}

function tagConflict(tag: string, wanted: string, actual: string): RefConflictError {
  return new RefConflictError(
    `tag ${tag} already exists at ${actual}, not at ${wanted} where this cut would put it; a released tag is never moved: delete the tag if it was made by mistake, or cut from ${actual}`,
    `refs/tags/${tag}`,
    wanted,
    actual
  )
}

/**
 * Reads every tag the cut wants and throws RefConflictError for the first that exists at another
 * commit. Call it before the cut's first write, so a conflict on any tag stops the cut before
 * anything is written. Returns which tags already exist (at the right commit).
 */
export async function verifyTags(gh: GitHubClient, where: RepoRef, tags: Pick<WantedTag, 'tag' | 'sha'>[]): Promise<Record<string, RefOutcome | 'missing'>> {
  const found: Record<string, RefOutcome | 'missing'> = {}
  for (const t of tags) {
    const existing = await readTag(gh, where, t.tag)
    if (existing && existing.sha !== t.sha) throw tagConflict(t.tag, t.sha, existing.sha)
    found[t.tag] = existing ? 'exists' : 'missing'
  }
  return found
}

/**
 * Makes sure `tag` is an annotated tag at commit `sha`: returns 'exists' when the tag already peels
 * to `sha` (an existing tag is never rewritten), else creates the tag object (git/create-tag) and
 * its ref and returns 'created'. Throws RefConflictError, before any write, when the tag exists at
 * another commit; throws on API failures (a re-run resumes: an orphan tag object left by a failure
 * between the two writes is harmless).
 */
export async function ensureTag(gh: GitHubClient, where: RepoRef, wanted: WantedTag): Promise<RefOutcome> {
  const existing = await readTag(gh, where, wanted.tag)
  if (existing) {
    if (existing.sha !== wanted.sha) throw tagConflict(wanted.tag, wanted.sha, existing.sha)
    return 'exists'
  }
  const { data: object } = await gh.rest.git.createTag({ ...where, tag: wanted.tag, message: wanted.message, object: wanted.sha, type: 'commit' })
  try {
    await gh.rest.git.createRef({ ...where, ref: `refs/tags/${wanted.tag}`, sha: object.sha })
  } catch (err) {
    // Someone (or a retried request) created it meanwhile: fine if it is where we want it.
    if (status(err) !== 422) throw err
    const now = await readTag(gh, where, wanted.tag)
    if (!now) throw err
    if (now.sha !== wanted.sha) throw tagConflict(wanted.tag, wanted.sha, now.sha)
    return 'exists'
  }
  return 'created'
}

/** Returns whether commit `sha` is `head` or one of its ancestors. */
async function contains(gh: GitHubClient, where: RepoRef, head: string, sha: string): Promise<boolean> {
  if (head === sha) return true
  try {
    const { data } = await gh.rest.repos.compareCommitsWithBasehead({ ...where, basehead: `${sha}...${head}`, per_page: 1 })
    return data.status === 'ahead' || data.status === 'identical'
  } catch (err) {
    if (status(err) === 404) return false
    throw err
  }
}

/**
 * Makes sure branch `name` exists and contains commit `sha`: returns 'exists' when the branch is at
 * `sha` or ahead of it (a re-run after the cut committed the changelog onto it), else creates it at
 * `sha` and returns 'created'. Throws RefConflictError, writing nothing, when the branch exists
 * without `sha`; throws on API failures.
 */
export async function ensureBranch(gh: GitHubClient, where: RepoRef, name: string, sha: string): Promise<RefOutcome> {
  const check = async (head: string): Promise<RefOutcome> => {
    if (await contains(gh, where, head, sha)) return 'exists'
    throw new RefConflictError(
      `branch ${name} already exists at ${head}, which does not contain ${sha}; the cut will not move an existing release branch: delete it if it was made by mistake`,
      `refs/heads/${name}`,
      sha,
      head
    )
  }
  const existing = await readRef(gh, where, `heads/${name}`)
  if (existing) return check(existing.sha)
  try {
    await gh.rest.git.createRef({ ...where, ref: `refs/heads/${name}`, sha })
  } catch (err) {
    if (status(err) !== 422) throw err
    const now = await readRef(gh, where, `heads/${name}`)
    if (!now) throw err
    return check(now.sha)
  }
  return 'created'
}
