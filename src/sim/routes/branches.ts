/** Branches, commits, comparisons, server-side merges and file commits through the contents API. */
import type { RouteContext, RouteTable } from '../context.js'
import { HttpError } from '../http.js'
import { GitRepo } from '../git.js'
import { diffFiles } from '../gitdiff.js'
import { branchPayload, commitPayload, diffEntryPayload, gitCommitPayload, identityOf, shortBranchPayload, webFlow } from '../gitshapes.js'
import { moveRef } from '../pushes.js'
import type { SimRepo } from '../state.js'
import { clockSeconds, pushAccess } from './git.js'

/** Strips an "owner:" prefix naming this repository's owner from a compare side. */
function side(repo: SimRepo, value: string): string {
  const colon = value.indexOf(':')
  return colon > 0 && value.slice(0, colon).toLowerCase() === repo.owner.toLowerCase() ? value.slice(colon + 1) : value
}

async function compare(ctx: RouteContext, baseRef: string, headRef: string) {
  const repo = ctx.repo()
  const git = new GitRepo(repo.gitDir)
  const base = await git.readCommit(side(repo, baseRef))
  const head = await git.readCommit(side(repo, headRef))
  if (!base || !head) throw new HttpError(404, 'Not Found')
  const mb = await git.mergeBase(base.sha, head.sha)
  if (!mb) throw new HttpError(404, `No common ancestor between ${baseRef} and ${headRef}.`)
  const ahead = await git.revList(['--reverse', '--topo-order', `${base.sha}..${head.sha}`, '--'])
  const behind = (await git.revList([`${head.sha}..${base.sha}`, '--'])).length
  const status = base.sha === head.sha ? 'identical' : !behind ? 'ahead' : !ahead.length ? 'behind' : 'diverged'
  // Without paging GitHub returns up to 250 commits; with it, one page of them.
  const paged = ctx.query.has('page') || ctx.query.has('per_page')
  const perPage = Math.min(Math.max(Number(ctx.query.get('per_page') ?? 30) || 30, 1), 100)
  const page = Math.max(Number(ctx.query.get('page') ?? 1) || 1, 1)
  const shown = paged ? ahead.slice((page - 1) * perPage, page * perPage) : ahead.slice(0, 250)
  const commits = []
  for (const sha of shown) commits.push(commitPayload(ctx.state, repo, (await git.readCommit(sha))!))
  const files = (await diffFiles(git, mb, head.sha)).slice(0, 300)
  const api = `${ctx.sim.url}/repos/${repo.owner}/${repo.name}`
  const html = `${ctx.sim.url}/${repo.owner}/${repo.name}`
  const range = `${baseRef}...${headRef}`
  return {
    status: 200,
    body: {
      url: `${api}/compare/${range}`,
      html_url: `${html}/compare/${range}`,
      permalink_url: `${html}/compare/${repo.owner}:${base.sha.slice(0, 7)}...${repo.owner}:${head.sha.slice(0, 7)}`,
      diff_url: `${html}/compare/${range}.diff`,
      patch_url: `${html}/compare/${range}.patch`,
      base_commit: commitPayload(ctx.state, repo, base),
      merge_base_commit: commitPayload(ctx.state, repo, (await git.readCommit(mb))!),
      status,
      ahead_by: ahead.length,
      behind_by: behind,
      total_commits: ahead.length,
      commits,
      files: files.map((f) => diffEntryPayload(ctx.state, repo, head.sha, f))
    }
  }
}

export const branchRoutes: RouteTable = {
  'repos/get-branch': async (ctx) => {
    const repo = ctx.repo()
    const git = new GitRepo(repo.gitDir)
    const name = ctx.params.branch
    const commit = (await git.listRefs(`refs/heads/${name}`)).has(`refs/heads/${name}`) ? await git.readCommit(`refs/heads/${name}`) : null
    if (!commit) throw new HttpError(404, 'Branch not found')
    return { status: 200, body: branchPayload(ctx.state, repo, name, commit) }
  },

  'repos/list-branches': async (ctx) => {
    const repo = ctx.repo()
    const refs = [...(await new GitRepo(repo.gitDir).listRefs('refs/heads/'))]
    // No branch is protected in the simulator.
    const items = ctx.query.get('protected') === 'true' ? [] : refs
    return ctx.page(items, ([ref, sha]) => shortBranchPayload(ctx.state, repo, ref.slice('refs/heads/'.length), sha))
  },

  'repos/get-commit': async (ctx) => {
    const repo = ctx.repo()
    const git = new GitRepo(repo.gitDir)
    const commit = await git.readCommit(ctx.params.ref)
    if (!commit) throw new HttpError(422, `No commit found for SHA: ${ctx.params.ref}`)
    const files = (await diffFiles(git, commit.parents[0] ?? null, commit.sha)).slice(0, 300)
    return { status: 200, body: commitPayload(ctx.state, repo, commit, files) }
  },

  'repos/compare-commits': (ctx) => compare(ctx, ctx.params.base, ctx.params.head),

  'repos/compare-commits-with-basehead': (ctx) => {
    const at = ctx.params.basehead.indexOf('...')
    if (at < 0) throw new HttpError(404, 'Not Found')
    return compare(ctx, ctx.params.basehead.slice(0, at), ctx.params.basehead.slice(at + 3))
  },

  'repos/merge': async (ctx) => {
    const { repo, pusher, git } = pushAccess(ctx)
    const baseName = String(ctx.body.base)
    const base = await git.resolve(`refs/heads/${baseName}`)
    if (!base) throw new HttpError(404, 'Base does not exist')
    const head = (await git.resolve(`refs/heads/${ctx.body.head}`)) ?? (await git.resolve(String(ctx.body.head)))
    if (!head) throw new HttpError(404, 'Head does not exist')
    if (await git.isAncestor(head, base)) return { status: 204 }
    const merge = await git.mergeTree(base, head)
    if (!merge.clean) throw new HttpError(409, 'Merge conflict')
    const t = clockSeconds(ctx)
    const message = ctx.body.commit_message ?? `Merge ${ctx.body.head} into ${baseName}`
    const sha = await git.commitTree(merge.tree, [base, head], message, identityOf(ctx.state, pusher.login, t), webFlow(t))
    await moveRef(ctx.state, repo, `refs/heads/${baseName}`, sha, base, pusher)
    const files = await diffFiles(git, base, sha)
    return { status: 201, body: commitPayload(ctx.state, repo, (await git.readCommit(sha))!, files) }
  },

  'repos/create-or-update-file-contents': async (ctx) => {
    const { repo, pusher, git } = pushAccess(ctx)
    const path = ctx.params.path.replace(/^\/+|\/+$/g, '')
    const branch = String(ctx.body.branch ?? repo.defaultBranch).replace(/^refs\/heads\//, '')
    const tip = await git.resolve(`refs/heads/${branch}`)
    if (!tip) throw new HttpError(404, `Branch ${branch} not found`)
    const found = await git.run(['rev-parse', '--verify', '--quiet', `${tip}:${path}`])
    const existing = found.code === 0 ? found.stdout.toString().trim() : null
    if (existing && !ctx.body.sha) throw new HttpError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.')
    if (ctx.body.sha && ctx.body.sha !== existing) throw new HttpError(409, `${path} does not match ${ctx.body.sha}`)
    const t = clockSeconds(ctx)
    const me = identityOf(ctx.state, pusher.login, t)
    const given = (p?: { name: string; email: string; date?: string }) => (p ? { name: p.name, email: p.email, date: p.date ? Math.floor(Date.parse(p.date) / 1000) || t : t } : undefined)
    const author = given(ctx.body.author) ?? given(ctx.body.committer) ?? me
    const committer = given(ctx.body.committer) ?? author
    const content = Buffer.from(String(ctx.body.content), 'base64')
    const tree = await git.writeTree(tip, { [path]: content })
    const sha = await git.commitTree(tree, [tip], String(ctx.body.message), author, committer)
    await moveRef(ctx.state, repo, `refs/heads/${branch}`, sha, tip, pusher)
    const blob = (await git.git(['rev-parse', `${sha}:${path}`])).trim()
    const api = `${ctx.sim.url}/repos/${repo.owner}/${repo.name}`
    const html = `${ctx.sim.url}/${repo.owner}/${repo.name}/blob/${branch}/${path}`
    return {
      status: existing ? 200 : 201,
      body: {
        content: {
          name: path.split('/').pop(),
          path,
          sha: blob,
          size: content.length,
          url: `${api}/contents/${path}?ref=${encodeURIComponent(branch)}`,
          html_url: html,
          git_url: `${api}/git/blobs/${blob}`,
          download_url: `${ctx.sim.url}/raw/${repo.owner}/${repo.name}/${branch}/${path}`,
          type: 'file',
          _links: { self: `${api}/contents/${path}?ref=${encodeURIComponent(branch)}`, git: `${api}/git/blobs/${blob}`, html }
        },
        commit: gitCommitPayload(ctx.state, repo, (await git.readCommit(sha))!)
      }
    }
  }
}
