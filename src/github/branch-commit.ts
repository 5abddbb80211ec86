/**
 * Commits onto a branch through the Git Data API without losing anyone's update: read the head
 * (one GraphQL query, which also lists a directory and stats files in the same commit), build a
 * tree on it, commit with the head as parent, and move the ref with `force: false`. When another
 * writer moved the branch in between, GitHub refuses the update (not a fast forward) and the
 * whole step is redone on the new head. A missing branch is created as an orphan.
 * Used by the test history's data branch and by the Pages publisher.
 */
import { createHash } from 'node:crypto'
import type { GitHubClient } from './client.js'
import type { RepoRef } from './apply.js'

/** One entry of a listed directory. */
export interface BranchEntry {
  name: string
  oid: string
  /** `blob`, `tree` or `commit` (a submodule). */
  type: string
  /** Bytes (0 for trees, and from the git reader, which does not read them). */
  size: number
}

/** The branch as read at one commit. */
export interface BranchState {
  /** Commit SHA of the head. */
  sha: string
  /** Its root tree. */
  tree: string
  /** Entries of the listed directory (empty when it does not exist). */
  entries: BranchEntry[]
  /** Blob SHA of each stat'ed path, or null when absent. */
  files: Record<string, string | null>
}

/** A change to the tree: text goes inline, bytes through a blob, `null` deletes the path. */
export interface TreeChange {
  path: string
  content: string | Uint8Array | null
}

export interface UpdateBranchOptions {
  branch: string
  message: string
  /** Directory to list in the read (no leading or trailing slash; '' for the root). */
  list?: string
  /** Paths whose blob SHA the read returns. */
  stat?: string[]
  /** Given the branch as read (null when it does not exist), returns the changes, or null for none. */
  build: (state: BranchState | null) => TreeChange[] | null | Promise<TreeChange[] | null>
  /** Attempts before giving up when other writers keep moving the branch (default 6). */
  maxAttempts?: number
  /** Milliseconds to wait before the second attempt, doubled each time, with jitter (default 200). */
  backoffMs?: number
}

export interface UpdateBranchResult {
  outcome: 'committed' | 'unchanged'
  /** The head after the update (null when the branch still does not exist). */
  sha: string | null
  /** Reads of the head it took (1 when nobody raced). */
  attempts: number
}

/** Returns the SHA git gives a blob with this content (what the tree lists), to compare without a download. */
export function gitBlobSha(content: string | Uint8Array): string {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content.buffer, content.byteOffset, content.byteLength)
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex')
}

/** Checks a repository path: relative, no empty, `.` or `..` segments, no `.git`, no control characters. */
export function checkTreePath(path: string, what = 'path'): string {
  const parts = path.split('/')
  // eslint-disable-next-line no-control-regex
  if (!path || /[\u0000-\u001f\u007f\\]/.test(path) || parts.some((p) => p === '' || p === '.' || p === '..' || p.toLowerCase() === '.git')) {
    throw new Error(`${what} ${JSON.stringify(path)} is not a valid repository path (relative, with no empty, ".", ".." or ".git" segments)`)
  }
  return path
}

const READ = `query ReadBranch($owner: String!, $name: String!, $ref: String!, $dir: String!, $listDir: Boolean!, $listRoot: Boolean!) {
  repository(owner: $owner, name: $name) {
    ref(qualifiedName: $ref) {
      target {
        __typename
        oid
        ... on Commit {
          tree { oid entries @include(if: $listRoot) { name oid type size } }
          dir: file(path: $dir) @include(if: $listDir) { object { ... on Tree { entries { name oid type size } } } }
          STATS
        }
      }
    }
  }
}`

interface ReadAnswer {
  repository: {
    ref: null | {
      target: {
        __typename: string
        oid: string
        tree?: { oid: string; entries?: BranchEntry[] }
        dir?: { object: { entries?: BranchEntry[] } | null } | null
        [stat: string]: unknown
      }
    }
  } | null
}

/** Reads a branch's head, one directory's entries and some files' SHAs in one GraphQL query. Returns null when the branch does not exist. */
export async function readBranch(client: GitHubClient, where: RepoRef, branch: string, list?: string, stat: string[] = []): Promise<BranchState | null> {
  const dir = list ?? ''
  const vars: Record<string, unknown> = { owner: where.owner, name: where.repo, ref: `refs/heads/${branch}`, dir: dir || '.', listDir: list !== undefined && dir !== '', listRoot: list !== undefined && dir === '' }
  const decls: string[] = []
  const fields = stat.map((path, i) => {
    vars[`s${i}`] = path
    decls.push(`$s${i}: String!`)
    return `s${i}: file(path: $s${i}) { oid type }`
  })
  const query = READ.replace('$listRoot: Boolean!)', `$listRoot: Boolean!${decls.map((d) => `, ${d}`).join('')})`).replace('STATS', fields.join('\n          '))
  const data = await client.graphql<ReadAnswer>(query, vars)
  if (!data.repository) throw new Error(`repository ${where.owner}/${where.repo} was not found (or the token cannot read it)`)
  const target = data.repository.ref?.target
  if (!target) return null
  if (target.__typename !== 'Commit' || !target.tree) throw new Error(`refs/heads/${branch} points at a ${target.__typename}, not a commit`)
  const entries = list === undefined ? [] : dir === '' ? (target.tree.entries ?? []) : (target.dir?.object?.entries ?? [])
  const files: Record<string, string | null> = {}
  stat.forEach((path, i) => {
    const f = target[`s${i}`] as { oid: string; type: string } | null
    files[path] = f && f.type === 'blob' ? f.oid : null
  })
  return { sha: target.oid, tree: target.tree.oid, entries, files }
}

const status = (err: unknown) => (err as { status?: number }).status
const message = (err: unknown) => String((err as { message?: string }).message ?? err)

/** True for GitHub's answers to a ref update that lost a race (the SHA guard). */
function lostRace(err: unknown): boolean {
  return (status(err) === 422 && /fast forward|already exists/i.test(message(err))) || status(err) === 409
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Applies `build`'s changes to `branch` as one commit, redoing it on the new head whenever another
 * writer got there first. Returns `unchanged` when `build` returns null. Throws when GitHub refuses
 * a write for another reason, or after `maxAttempts` lost races.
 */
export async function updateBranch(client: GitHubClient, where: RepoRef, options: UpdateBranchOptions): Promise<UpdateBranchResult> {
  const maxAttempts = options.maxAttempts ?? 6
  const backoff = options.backoffMs ?? 200
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const state = await readBranch(client, where, options.branch, options.list, options.stat)
    const changes = await options.build(state)
    if (!changes) return { outcome: 'unchanged', sha: state?.sha ?? null, attempts: attempt }
    const tree = []
    for (const c of changes) {
      checkTreePath(c.path)
      if (c.content === null) tree.push({ path: c.path, mode: '100644' as const, type: 'blob' as const, sha: null })
      else if (typeof c.content === 'string') tree.push({ path: c.path, mode: '100644' as const, type: 'blob' as const, content: c.content })
      else {
        const { data: blob } = await client.rest.git.createBlob({ ...where, content: Buffer.from(c.content).toString('base64'), encoding: 'base64' })
        tree.push({ path: c.path, mode: '100644' as const, type: 'blob' as const, sha: blob.sha })
      }
    }
    const { data: newTree } = await client.rest.git.createTree({ ...where, tree, ...(state ? { base_tree: state.tree } : {}) })
    const { data: commit } = await client.rest.git.createCommit({ ...where, message: options.message, tree: newTree.sha, parents: state ? [state.sha] : [] })
    try {
      if (state) await client.rest.git.updateRef({ ...where, ref: `heads/${options.branch}`, sha: commit.sha, force: false })
      else await client.rest.git.createRef({ ...where, ref: `refs/heads/${options.branch}`, sha: commit.sha })
      return { outcome: 'committed', sha: commit.sha, attempts: attempt }
    } catch (err) {
      if (!lostRace(err)) throw new Error(`could not move ${options.branch} of ${where.owner}/${where.repo} to ${commit.sha}: ${message(err)}`, { cause: err })
      if (attempt < maxAttempts) await sleep(backoff * 2 ** (attempt - 1) * (0.5 + Math.random()))
    }
  }
  throw new Error(`could not update ${options.branch} of ${where.owner}/${where.repo}: other writers moved it ${maxAttempts} times in a row; try again later`)
}
