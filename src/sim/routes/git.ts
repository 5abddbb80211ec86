/** Git database routes (refs, commits, trees, blobs, tags) over the repository's real bare repo. */
import type { RouteContext, RouteTable } from '../context.js'
import { HttpError } from '../http.js'
import { GitRepo, type GitIdentity } from '../git.js'
import { buildTree, lsTree, type TreeOp } from '../gitdiff.js'
import { UNSIGNED, gitCommitPayload, gitUserPayload, identityOf, isoDate, refPayload, treePayload } from '../gitshapes.js'
import { moveRef, publishRefChanges, type Pusher } from '../pushes.js'
import type { SimRepo } from '../state.js'
import { now } from '../state.js'

const SHA = /^[0-9a-f]{40}$/

/** Who the request moves refs as. */
export function pusherOf(ctx: RouteContext): Pusher {
  return { login: ctx.actor(), tokenKind: ctx.token?.kind ?? 'admin' }
}

/** For a route that moves refs: the repository (the caller needs write access), who pushes, and its git repository. */
export function pushAccess(ctx: RouteContext): { repo: SimRepo; pusher: Pusher; git: GitRepo } {
  const repo = ctx.repo()
  const pusher = pusherOf(ctx)
  ctx.require(repo, 'write')
  return { repo, pusher, git: new GitRepo(repo.gitDir) }
}

/** Returns the current simulated time in seconds (and advances the clock). */
export function clockSeconds(ctx: RouteContext): number {
  return Date.parse(now(ctx.state)) / 1000
}

async function objectType(git: GitRepo, sha: unknown): Promise<string | null> {
  return typeof sha === 'string' && SHA.test(sha) ? git.typeOf(sha) : null
}

/** The ref the route's {ref} names and its sha. Throws 422 when it does not exist. */
async function existingRef(ctx: RouteContext, git: GitRepo): Promise<{ ref: string; current: string }> {
  const ref = `refs/${ctx.params.ref}`
  const current = (await git.listRefs(ref)).get(ref)
  if (!current) throw new HttpError(422, 'Reference does not exist')
  return { ref, current }
}

async function refBody(ctx: RouteContext, repo: SimRepo, git: GitRepo, ref: string, sha: string) {
  return refPayload(ctx.state, repo, ref, sha, (await git.typeOf(sha)) ?? 'commit')
}

/** Returns a `{name, email, date}` from a request body as a git identity, defaulting to the caller. */
function identity(given: { name?: string; email?: string; date?: string } | undefined, fallback: GitIdentity): GitIdentity {
  if (!given) return fallback
  const date = given.date ? Math.floor(Date.parse(given.date) / 1000) : fallback.date
  return { name: given.name ?? fallback.name, email: given.email ?? fallback.email, date: Number.isNaN(date) ? fallback.date : date }
}

export const gitRoutes: RouteTable = {
  'git/get-ref': async (ctx) => {
    const repo = ctx.repo()
    const git = new GitRepo(repo.gitDir)
    const ref = `refs/${ctx.params.ref}`
    const sha = (await git.listRefs(ref)).get(ref)
    if (!sha) throw new HttpError(404, 'Not Found')
    return { status: 200, body: await refBody(ctx, repo, git, ref, sha) }
  },

  'git/list-matching-refs': async (ctx) => {
    const repo = ctx.repo()
    const git = new GitRepo(repo.gitDir)
    const prefix = `refs/${ctx.params.ref}`
    const body = []
    for (const [ref, sha] of await git.listRefs()) if (ref.startsWith(prefix)) body.push(await refBody(ctx, repo, git, ref, sha))
    return { status: 200, body }
  },

  'git/create-ref': async (ctx) => {
    const { repo, pusher, git } = pushAccess(ctx)
    const ref = String(ctx.body.ref)
    if (!ref.startsWith('refs/') || ref.split('/').length < 3 || (await git.run(['check-ref-format', ref])).code !== 0) {
      throw new HttpError(422, 'Reference name is not valid')
    }
    if (!(await objectType(git, ctx.body.sha))) throw new HttpError(422, 'Object does not exist')
    if ((await git.listRefs(ref)).has(ref)) throw new HttpError(422, 'Reference already exists')
    await moveRef(ctx.state, repo, ref, ctx.body.sha, null, pusher)
    return { status: 201, body: await refBody(ctx, repo, git, ref, ctx.body.sha) }
  },

  'git/update-ref': async (ctx) => {
    const { repo, pusher, git } = pushAccess(ctx)
    const { ref, current } = await existingRef(ctx, git)
    const sha = String(ctx.body.sha)
    const type = await objectType(git, sha)
    if (!type) throw new HttpError(422, 'Object does not exist')
    if (!ctx.body.force && current !== sha && (type !== 'commit' || !(await git.isAncestor(current, sha)))) {
      throw new HttpError(422, 'Update is not a fast forward')
    }
    if (current !== sha) await moveRef(ctx.state, repo, ref, sha, current, pusher)
    return { status: 200, body: await refBody(ctx, repo, git, ref, sha) }
  },

  'git/delete-ref': async (ctx) => {
    const { repo, pusher, git } = pushAccess(ctx)
    const { ref, current } = await existingRef(ctx, git)
    await git.deleteRef(ref)
    await publishRefChanges(ctx.state, repo, [{ ref, before: current, after: null }], pusher)
    return { status: 204 }
  },

  'git/get-commit': async (ctx) => {
    const repo = ctx.repo()
    const git = new GitRepo(repo.gitDir)
    const sha = ctx.params.commit_sha
    const commit = SHA.test(sha) && (await git.typeOf(sha)) === 'commit' ? await git.readCommit(sha) : null
    if (!commit) throw new HttpError(404, 'Not Found')
    return { status: 200, body: gitCommitPayload(ctx.state, repo, commit) }
  },

  'git/create-commit': async (ctx) => {
    const repo = ctx.repo()
    const login = ctx.require(repo, 'write')
    const git = new GitRepo(repo.gitDir)
    const b = ctx.body
    if ((await objectType(git, b.tree)) !== 'tree') throw new HttpError(422, 'Tree SHA does not exist')
    const parents = (b.parents ?? []) as string[]
    for (const p of parents) if ((await objectType(git, p)) !== 'commit') throw new HttpError(422, 'Parent SHA does not exist or is not a commit object')
    const author = identity(b.author, identityOf(ctx.state, login, clockSeconds(ctx)))
    const committer = identity(b.committer, author)
    const sha = await git.commitTree(b.tree, parents, String(b.message), author, committer)
    return { status: 201, body: gitCommitPayload(ctx.state, repo, (await git.readCommit(sha))!) }
  },

  'git/get-tree': async (ctx) => {
    const repo = ctx.repo()
    const git = new GitRepo(repo.gitDir)
    const sha = await git.resolveTo(ctx.params.tree_sha, 'tree')
    if (!sha) throw new HttpError(404, 'Not Found')
    // GitHub recurses for any value of `recursive`, even "false" or "0".
    const entries = await lsTree(git, sha, ctx.query.has('recursive'))
    return { status: 200, body: treePayload(ctx.state, repo, sha, entries) }
  },

  'git/create-tree': async (ctx) => {
    const repo = ctx.repo()
    ctx.require(repo, 'write')
    const git = new GitRepo(repo.gitDir)
    const base = ctx.body.base_tree as string | undefined
    if (base !== undefined && !(SHA.test(base) && (await git.resolveTo(base, 'tree')))) throw new HttpError(422, 'base_tree is not a valid tree oid')
    const ops: TreeOp[] = []
    for (const e of ctx.body.tree as { path?: string; mode?: string; type?: string; sha?: string | null; content?: string }[]) {
      if (!e.path) throw new HttpError(422, 'Must supply a valid tree.path')
      const type = (e.type ?? (e.mode === '040000' ? 'tree' : e.mode === '160000' ? 'commit' : 'blob')) as TreeOp['type']
      const mode = e.mode ?? (type === 'tree' ? '040000' : type === 'commit' ? '160000' : '100644')
      if (e.content !== undefined && e.sha !== undefined) throw new HttpError(422, 'Must supply either tree.sha or tree.content, not both')
      let sha: string | null
      if (e.content !== undefined) {
        if (type !== 'blob') throw new HttpError(422, 'tree.content can only be used with blobs')
        sha = await git.writeBlob(e.content)
      } else if (e.sha === null) {
        sha = null
      } else if (type === 'commit') {
        if (!e.sha || !SHA.test(e.sha)) throw new HttpError(422, `tree.sha ${e.sha} is not a valid commit`)
        sha = e.sha
      } else {
        if ((await objectType(git, e.sha)) !== type) throw new HttpError(422, `tree.sha ${e.sha} is not a valid ${type}`)
        sha = e.sha!
      }
      ops.push({ path: e.path, mode, type, sha })
    }
    const sha = await buildTree(git, base ?? null, ops)
    return { status: 201, body: treePayload(ctx.state, repo, sha, await lsTree(git, sha, false)) }
  },

  'git/create-blob': async (ctx) => {
    const repo = ctx.repo()
    ctx.require(repo, 'write')
    const encoding = ctx.body.encoding ?? 'utf-8'
    if (encoding !== 'utf-8' && encoding !== 'base64') throw new HttpError(422, `encoding must be "utf-8" or "base64", got ${JSON.stringify(encoding)}`)
    const content = encoding === 'base64' ? Buffer.from(String(ctx.body.content), 'base64') : String(ctx.body.content)
    const sha = await new GitRepo(repo.gitDir).writeBlob(content)
    return { status: 201, body: { sha, url: `${ctx.sim.url}/repos/${repo.owner}/${repo.name}/git/blobs/${sha}` } }
  },

  'git/get-blob': async (ctx) => {
    const repo = ctx.repo()
    const git = new GitRepo(repo.gitDir)
    const sha = ctx.params.file_sha
    const data = SHA.test(sha) && (await git.typeOf(sha)) === 'blob' ? await git.readObject(sha, 'blob') : null
    if (!data) throw new HttpError(404, 'Not Found')
    return {
      status: 200,
      body: {
        sha,
        node_id: Buffer.from(`0:Blob${repo.id}:${sha}`).toString('base64'),
        size: data.length,
        url: `${ctx.sim.url}/repos/${repo.owner}/${repo.name}/git/blobs/${sha}`,
        // GitHub wraps base64 content at 60 characters.
        content: (data.toString('base64').match(/.{1,60}/g) ?? []).map((l) => `${l}\n`).join(''),
        encoding: 'base64'
      }
    }
  },

  'git/create-tag': async (ctx) => {
    const repo = ctx.repo()
    const login = ctx.require(repo, 'write')
    const git = new GitRepo(repo.gitDir)
    const b = ctx.body
    if ((await objectType(git, b.object)) !== b.type) throw new HttpError(422, 'Object does not exist')
    if ((await git.run(['check-ref-format', `refs/tags/${b.tag}`])).code !== 0) throw new HttpError(422, 'Tag name is not valid')
    const tagger = identity(b.tagger, identityOf(ctx.state, login, clockSeconds(ctx)))
    const message = String(b.message).endsWith('\n') ? String(b.message) : `${b.message}\n`
    const sha = await git.writeTag(b.object, b.type, b.tag, message, tagger)
    const api = `${ctx.sim.url}/repos/${repo.owner}/${repo.name}`
    return {
      status: 201,
      body: {
        node_id: Buffer.from(`0:Tag${repo.id}:${sha}`).toString('base64'),
        tag: b.tag,
        sha,
        url: `${api}/git/tags/${sha}`,
        message,
        tagger: { ...gitUserPayload(tagger), date: isoDate(tagger.date) },
        object: { sha: b.object, type: b.type, url: `${api}/git/${b.type}s/${b.object}` },
        verification: UNSIGNED
      }
    }
  }
}
