/** Git objects (Commit, Tree, Blob, Tag), refs, and the status data hung on commits. */
import type { GqlContext, Model } from '../context.js'
import type { SimCheckRun, SimRepo, SimStatus } from '../../state.js'
import { nodeId } from '../ids.js'
import { connectionField } from '../connection.js'
import { blobText, changedFiles, entryAt, history, listRefs, loadCommit, lookupObject, treeEntries, type ObjectHeader, type TreeEntryInfo } from '../gitdata.js'
import { combine, latestCheckRuns, latestStatuses, rollupState, statusState } from '../derive.js'
import { GhError } from '../errors.js'
import { actorModel } from './actors.js'
import { repoModel, listIssues } from './repository.js'
import { pullModel } from './issue.js'

const MAX_TEXT = 512 * 1024

/** The repository's refs (name → SHA), read once per request. Records each target's type for later. */
export function allRefs(ctx: GqlContext, repo: SimRepo): Promise<Map<string, string>> {
  return ctx.once(`refs\0${repo.gitDir}`, async () => {
    const refs = await listRefs(ctx.git(repo))
    const types = typeHints(ctx)
    for (const r of refs.values()) types.set(r.oid, r.type)
    return new Map([...refs].map(([name, r]) => [name, r.oid]))
  })
}

const typeHints = (ctx: GqlContext) => ctx.once('types', () => new Map<string, string>())

/** Resolves `main`, `refs/heads/main` or `v1.0` to a fully qualified ref name present in `refs`. */
export function resolveRefName(refs: Map<string, string>, qualifiedName: string): string | null {
  for (const name of [qualifiedName, `refs/heads/${qualifiedName}`, `refs/tags/${qualifiedName}`]) if (refs.has(name)) return name
  return null
}

/** Returns a Ref object. `prefix` is the `refPrefix` it was listed under (default: `refs/heads/`-style). */
export function refModel(ctx: GqlContext, repo: SimRepo, fullName: string, oid: string, prefix?: string): Model {
  const p = prefix ?? (/^refs\/[^/]+\//.exec(fullName)?.[0] ?? '')
  return {
    __typename: 'Ref',
    id: nodeId('Ref', `${repo.id}:${fullName}`),
    name: fullName.slice(p.length),
    prefix: p,
    repository: () => repoModel(ctx, repo),
    target: () => objectById(ctx, repo, oid),
    branchProtectionRule: null,
    refUpdateRule: null,
    associatedPullRequests: connectionField(
      (args) => listIssues(repo, true, args).filter((i) => `refs/heads/${i.pull!.head.ref}` === fullName),
      (i) => pullModel(ctx, repo, i)
    )
  }
}

/** Returns the git object with this SHA as a Commit/Tree/Blob/Tag, or null. */
export async function objectById(ctx: GqlContext, repo: SimRepo, oid: string): Promise<Model | null> {
  const hint = typeHints(ctx).get(oid)
  if (hint === 'commit' || hint === 'tree') return objectModel(ctx, repo, { oid, type: hint, size: 0 })
  const header = await lookupObject(ctx.git(repo), oid)
  return header ? objectModel(ctx, repo, header) : null
}

/** Returns the GitObject for a looked-up object. */
export function objectModel(ctx: GqlContext, repo: SimRepo, header: ObjectHeader): Model {
  switch (header.type) {
    case 'commit':
      return commitModel(ctx, repo, header.oid)
    case 'tree':
      return treeModel(ctx, repo, header.oid, '')
    case 'blob':
      return blobModel(ctx, repo, header.oid, header.size)
    default:
      return tagModel(ctx, repo, header.oid)
  }
}

function gitObject(ctx: GqlContext, repo: SimRepo, type: string, oid: string): Model {
  const full = `${repo.owner}/${repo.name}`
  return {
    __typename: type,
    id: nodeId(type, `${repo.id}:${oid}`),
    oid,
    abbreviatedOid: oid.slice(0, 7),
    commitUrl: `${ctx.state.baseUrl}/${full}/commit/${oid}`,
    commitResourcePath: `/${full}/commit/${oid}`,
    repository: () => repoModel(ctx, repo)
  }
}

const gitActor = (ctx: GqlContext, p: { name: string; email: string; date: string }): Model => ({
  __typename: 'GitActor',
  name: p.name,
  email: p.email,
  date: p.date,
  avatarUrl: `${ctx.state.baseUrl}/avatars/${encodeURIComponent(p.email)}`,
  user: null
})

/** Returns a Commit object; its git data is read on first use. */
export function commitModel(ctx: GqlContext, repo: SimRepo, oid: string): Model {
  const git = ctx.git(repo)
  const full = `${repo.owner}/${repo.name}`
  const info = () =>
    ctx.once(`commit\0${repo.gitDir}\0${oid}`, async () => {
      const c = await loadCommit(git, oid)
      if (!c) throw new GhError('NOT_FOUND', `Could not resolve to a Commit with the oid of '${oid}'.`)
      return c
    })
  const message = async () => (await info()).message
  const diff = async () => {
    const c = await info()
    return c.parents[0] ? changedFiles(git, c.parents[0], oid) : []
  }
  return {
    ...gitObject(ctx, repo, 'Commit', oid),
    url: `${ctx.state.baseUrl}/${full}/commit/${oid}`,
    resourcePath: `/${full}/commit/${oid}`,
    tarballUrl: `${ctx.state.baseUrl}/${full}/tarball/${oid}`,
    zipballUrl: `${ctx.state.baseUrl}/${full}/zipball/${oid}`,
    treeUrl: `${ctx.state.baseUrl}/${full}/tree/${oid}`,
    treeResourcePath: `/${full}/tree/${oid}`,
    message,
    messageHeadline: async () => (await message()).split('\n')[0],
    messageBody: async () => (await message()).split('\n').slice(1).join('\n').replace(/^\n+/, ''),
    committedDate: async () => (await info()).committer.date,
    authoredDate: async () => (await info()).author.date,
    pushedDate: null,
    author: async () => gitActor(ctx, (await info()).author),
    committer: async () => gitActor(ctx, (await info()).committer),
    authoredByCommitter: async () => {
      const c = await info()
      return c.author.name === c.committer.name && c.author.email === c.committer.email
    },
    committedViaWeb: false,
    signature: null,
    onBehalfOf: null,
    additions: async () => (await diff()).reduce((n, f) => n + f.additions, 0),
    deletions: async () => (await diff()).reduce((n, f) => n + f.deletions, 0),
    changedFiles: async () => (await diff()).length,
    changedFilesIfAvailable: async () => (await diff()).length,
    parents: connectionField(
      async () => (await info()).parents,
      (p) => commitModel(ctx, repo, p)
    ),
    tree: async () => treeModel(ctx, repo, (await info()).tree, ''),
    file: async ({ path }: { path: string }) => {
      const entry = await entryAt(git, oid, path)
      return entry ? treeEntryModel(ctx, repo, entry, path.replace(/^\/+|\/+$/g, '')) : null
    },
    history: connectionField(
      (args) => history(git, oid, args.path),
      (c) => commitModel(ctx, repo, c)
    ),
    associatedPullRequests: connectionField(
      () => listIssues(repo, true, {}).filter((i) => i.pull!.head.sha === oid || i.pull!.mergeCommitSha === oid),
      (i) => pullModel(ctx, repo, i)
    ),
    statusCheckRollup: () => {
      const state = rollupState(repo, oid)
      return state ? rollupModel(ctx, repo, oid, state) : null
    },
    status: () => {
      const statuses = latestStatuses(repo, oid)
      return statuses.length ? statusModel(ctx, repo, oid, statuses) : null
    }
  }
}

/** Returns a Tree object; `path` is where it sits in its commit ('' for a root tree). */
export function treeModel(ctx: GqlContext, repo: SimRepo, oid: string, path: string): Model {
  return {
    ...gitObject(ctx, repo, 'Tree', oid),
    entries: async () => (await treeEntries(ctx.git(repo), oid)).map((e) => treeEntryModel(ctx, repo, e, path ? `${path}/${e.name}` : e.name))
  }
}

function treeEntryModel(ctx: GqlContext, repo: SimRepo, e: TreeEntryInfo, path: string): Model {
  const ext = /\.[^./]+$/.exec(e.name)?.[0] ?? null
  return {
    __typename: 'TreeEntry',
    name: e.name,
    nameRaw: Buffer.from(e.name).toString('base64'),
    path,
    pathRaw: Buffer.from(path).toString('base64'),
    type: e.type,
    mode: parseInt(e.mode, 8),
    oid: e.oid,
    size: e.size,
    extension: ext,
    isGenerated: false,
    language: null,
    submodule: null,
    lineCount: async () => (e.type === 'blob' ? (await blobText(ctx.git(repo), e.oid)).split('\n').length - 1 : null),
    object: () =>
      e.type === 'tree' ? treeModel(ctx, repo, e.oid, path) : e.type === 'blob' ? blobModel(ctx, repo, e.oid, e.size) : null,
    repository: () => repoModel(ctx, repo)
  }
}

/** Returns a Blob object. */
export function blobModel(ctx: GqlContext, repo: SimRepo, oid: string, size: number): Model {
  const text = () => blobText(ctx.git(repo), oid)
  return {
    ...gitObject(ctx, repo, 'Blob', oid),
    byteSize: async () => size || Buffer.byteLength(await text()),
    isBinary: async () => (await text()).includes('\0'),
    isTruncated: async () => Buffer.byteLength(await text()) > MAX_TEXT,
    text: async () => {
      const t = await text()
      return t.includes('\0') ? null : t.length > MAX_TEXT ? t.slice(0, MAX_TEXT) : t
    }
  }
}

function tagModel(ctx: GqlContext, repo: SimRepo, oid: string): Model {
  const raw = () => ctx.once(`tag\0${oid}`, () => ctx.git(repo).git(['cat-file', 'tag', oid]))
  return {
    ...gitObject(ctx, repo, 'Tag', oid),
    name: async () => /^tag (.*)$/m.exec(await raw())?.[1] ?? '',
    message: async () => (await raw()).split('\n\n').slice(1).join('\n\n').replace(/\n+$/, ''),
    target: async () => {
      const target = /^object ([0-9a-f]{40})$/m.exec(await raw())?.[1]
      return target ? objectById(ctx, repo, target) : null
    },
    tagger: async () => {
      const m = /^tagger (.*) <(.*)> (\d+)/m.exec(await raw())
      return m ? gitActor(ctx, { name: m[1], email: m[2], date: new Date(Number(m[3]) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') }) : null
    }
  }
}

function statusContextModel(ctx: GqlContext, repo: SimRepo, s: SimStatus): Model {
  return {
    __typename: 'StatusContext',
    id: nodeId('StatusContext', s.id),
    context: s.context,
    state: statusState(s),
    description: s.description,
    targetUrl: s.targetUrl,
    createdAt: s.createdAt,
    creator: () => actorModel(ctx, s.creator),
    avatarUrl: () => `${ctx.state.baseUrl}/avatars/${encodeURIComponent(s.creator)}`,
    commit: () => commitModel(ctx, repo, s.sha),
    isRequired: false
  }
}

function checkRunModel(ctx: GqlContext, repo: SimRepo, c: SimCheckRun): Model {
  const url = `${ctx.state.baseUrl}/${repo.owner}/${repo.name}/runs/${c.id}`
  return {
    __typename: 'CheckRun',
    id: nodeId('CheckRun', c.id),
    databaseId: c.id,
    name: c.name,
    status: c.status.toUpperCase(),
    conclusion: c.conclusion ? c.conclusion.toUpperCase() : null,
    detailsUrl: c.detailsUrl,
    externalId: c.externalId,
    startedAt: c.startedAt,
    completedAt: c.completedAt,
    title: c.output.title,
    summary: c.output.summary,
    text: c.output.text,
    url,
    permalink: url,
    resourcePath: `/${repo.owner}/${repo.name}/runs/${c.id}`,
    isRequired: false,
    repository: () => repoModel(ctx, repo)
  }
}

function rollupModel(ctx: GqlContext, repo: SimRepo, oid: string, state: string): Model {
  const runs = latestCheckRuns(repo, oid)
  const statuses = latestStatuses(repo, oid)
  return {
    __typename: 'StatusCheckRollup',
    id: nodeId('StatusCheckRollup', `${repo.id}:${oid}`),
    state,
    commit: () => commitModel(ctx, repo, oid),
    contexts: connectionField(
      () => [...runs.map((c) => ({ c })), ...statuses.map((s) => ({ s }))],
      (x) => ('c' in x ? checkRunModel(ctx, repo, x.c) : statusContextModel(ctx, repo, x.s)),
      { extra: { checkRunCount: runs.length, statusContextCount: statuses.length } }
    )
  }
}

function statusModel(ctx: GqlContext, repo: SimRepo, oid: string, statuses: SimStatus[]): Model {
  return {
    __typename: 'Status',
    id: nodeId('Status', `${repo.id}:${oid}`),
    state: combine(statuses.map(statusState)) ?? 'PENDING',
    commit: () => commitModel(ctx, repo, oid),
    contexts: () => statuses.map((s) => statusContextModel(ctx, repo, s)),
    context: ({ name }: { name: string }) => {
      const s = statuses.find((x) => x.context === name)
      return s ? statusContextModel(ctx, repo, s) : null
    },
    combinedContexts: connectionField(
      () => [...latestCheckRuns(repo, oid).map((c) => ({ c })), ...statuses.map((s) => ({ s }))],
      (x) => ('c' in x ? checkRunModel(ctx, repo, x.c) : statusContextModel(ctx, repo, x.s))
    )
  }
}
