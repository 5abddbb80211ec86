/**
 * A release cut, from a dispatch or a pushed tag: read GitHub, decide (src/core/release), refuse
 * before any write when the request is not legal, print the plan in mock mode, otherwise run the
 * steps, each of which reads first and writes only what is missing (release-refs.ts,
 * release-changelog.ts, release-page.ts), so a re-run after a failure at any step finishes the
 * same cut without duplicates.
 *
 * Which cut a re-run resumes: tags pointing at the commit whose release is not published are
 * "in progress"; the previous release is computed without them, so the re-run plans the same
 * versions and finds its own tags already there.
 */
import { hexDigest, withChecksums } from '../core/release/checksums.js'
import { gate, type GateResult } from '../core/release/gate.js'
import { makeLatest } from '../core/release/latest.js'
import { cutForTag, nextRelease, typeOf, type CutPlan, type ReleaseRules, type ReleaseType } from '../core/release/next.js'
import { changelogWithRelease, releaseBody, releaseNotes, type NotesDocument } from '../core/release/notes.js'
import { renderCut, type CutView } from '../core/release/plan-view.js'
import { previousRelease, releaseVersions } from '../core/release/from-tags.js'
import { formatVersion, lineOfBranch, parseVersion, releaseBranchOf, type ReleaseVersion } from '../core/release/version.js'
import type { ReleaseConfig } from '../core/config/schema.js'
import type { RepoRef } from './apply.js'
import type { GitHubClient } from './client.js'
import { readCommitChecks } from './release-checks.js'
import { ensureChangelog } from './release-changelog.js'
import { fetchReleaseHistory, type ReleaseHistory } from './release-history.js'
import { gatherReleasePulls } from './release-notes-fetch.js'
import { ensureAssets, ensureDraftRelease, listReleases, publish, type ReleaseFile } from './release-page.js'
import { ensureBranch, ensureTag } from './release-refs.js'

export interface CutRequest {
  /** `dispatch` (type and branch) or `tag` (a pushed tag). */
  mode: 'dispatch' | 'tag'
  type?: ReleaseType
  /** Dispatch: the branch to cut from (default: the default branch). */
  branch?: string
  /** Dispatch: the commit (default: the branch's head; for a branch cut, the default branch's head). */
  sha?: string
  /** Tag mode: the pushed tag. */
  tag?: string
  nomock: boolean
  config: ReleaseConfig
  defaultBranch: string
  /** The caller's build outputs, uploaded with SHA256SUMS and SHA512SUMS. */
  assets: ReleaseFile[]
  /** The workflow run doing the cut (GITHUB_RUN_ID): its checks are not judged. */
  selfRunId?: number
  git: { token: string; serverUrl: string }
  now: Date
  log: (line: string) => void
}

export interface CutResult {
  mock: boolean
  plan: CutPlan
  sha: string
  view: CutView
  markdown: string
  notes: NotesDocument
  releaseUrl?: string
  checksums: { name: string; sha256: string }[]
}

/** The request is not legal (bad tag, wrong branch, red CI, already released, ...): nothing was written. */
export class CutRefusedError extends Error {
  constructor(readonly reasons: string[]) {
    super(reasons.length === 1 ? reasons[0] : `the cut is refused:\n- ${reasons.join('\n- ')}`)
    this.name = 'CutRefusedError'
  }
}

const SHA = /^[0-9a-f]{40}$/

/** Runs the cut. Throws CutRefusedError before any write when it is not legal; a failing step throws its own error (a re-run resumes). */
export async function cutRelease(client: GitHubClient, where: RepoRef, request: CutRequest): Promise<CutResult> {
  const { log } = request
  const rules: ReleaseRules = {
    defaultBranch: request.defaultBranch,
    branchCutAt: request.config.branch_cut_at,
    firstRcAfterFinal: request.config.first_rc_after_final,
    branchPrefix: request.config.release_branch_prefix
  }
  let tagVersion: ReleaseVersion | undefined
  let branches: string[]
  if (request.mode === 'tag') {
    const tag = request.tag ?? ''
    tagVersion = parseVersion(tag)
    if (!tagVersion) throw new CutRefusedError([`"${tag}" is not a release version: expected vMAJOR.MINOR.PATCH, optionally followed by -alpha.N, -beta.N or -rc.N (no leading zeros)`])
    branches = [rules.defaultBranch, releaseBranchOf(tagVersion, rules.branchPrefix)]
  } else {
    if (!request.type) throw new CutRefusedError(['a dispatch needs a type: alpha, beta, rc or official'])
    if (request.sha !== undefined && !SHA.test(request.sha)) throw new CutRefusedError([`sha ${JSON.stringify(request.sha)} is not a full commit SHA (40 hex digits)`])
    branches = [...new Set([rules.defaultBranch, request.branch || rules.defaultBranch])]
  }

  log(`Reading the history of ${branches.join(', ')} and every tag.`)
  const history = await fetchReleaseHistory({ ...request.git, where, branches, ...(request.sha ? { sha: request.sha } : {}) })
  try {
    return await cutWith(client, where, request, rules, history, tagVersion, `${where.owner}/${where.repo}`)
  } finally {
    await history.dispose()
  }
}

async function cutWith(client: GitHubClient, where: RepoRef, request: CutRequest, rules: ReleaseRules, history: ReleaseHistory, tagVersion: ReleaseVersion | undefined, repositoryName: string): Promise<CutResult> {
  const { log } = request
  const branch = request.mode === 'tag' ? undefined : request.branch || rules.defaultBranch
  const releases = await listReleases(client, where)
  const published = new Map(releases.filter((r) => !r.draft).map((r) => [r.tagName, r]))
  // Each commit is looked at once (the head, the walk under it, the previous release's walk).
  const looked = new Map<string, Promise<{ tag: string; parent: string } | null>>()
  const bookkeeping = (sha: string) => {
    if (!looked.has(sha)) looked.set(sha, changelogCommit(client, where, history, sha, request.config.changelog_dir))
    return looked.get(sha)!
  }
  // The commit being released.
  let sha: string
  if (request.mode === 'tag') {
    const found = await history.tagCommit(request.tag as string)
    if (!found) throw new CutRefusedError([`tag ${request.tag} does not exist in ${repositoryName}`])
    sha = found
  } else if (request.sha) {
    if (!(await history.hasCommit(request.sha))) throw new CutRefusedError([`commit ${request.sha} is not in ${repositoryName}`])
    sha = request.sha
  } else {
    const head = history.branches.get(branch as string) ?? history.branches.get(rules.defaultBranch)
    if (!head) throw new CutRefusedError([`neither ${branch} nor ${rules.defaultBranch} exists in ${repositoryName}`])
    sha = head
    // A re-run after the changelog step: the head is the cut's own changelog commit for a release
    // not yet published; the cut being resumed is of its parent.
    const own = await bookkeeping(sha)
    if (own && !published.has(own.tag)) sha = own.parent
  }
  // The commit CI tested: the changelog commits of earlier cuts on top of it change nothing else
  // (and, pushed with GITHUB_TOKEN, start no CI themselves).
  let tested = sha
  for (let own = await bookkeeping(tested); own; own = await bookkeeping(tested)) tested = own.parent
  if (tested !== sha) log(`${sha} only adds changelog entries to ${tested}: CI is judged on ${tested}.`)

  // Tags on the commit without a published release: a cut in progress (this one, being resumed).
  const inProgress = new Set((await history.tagsAt(sha)).filter((t) => !published.has(t)))
  const reachable = releaseVersions((await history.reachableTags(sha)).filter((t) => !inProgress.has(t)))
  const line = tagVersion ?? (branch ? lineOfBranch(branch, rules.branchPrefix) : undefined)
  const previous = previousRelease(reachable, line)

  const decided =
    request.mode === 'tag'
      ? cutForTag(request.tag as string, tagVersion, { previous, rules, releaseBranchExists: (b) => history.branches.has(b) })
      : nextRelease({ type: request.type as ReleaseType, branch: branch as string, previous, branchExists: branch === rules.defaultBranch || history.branches.has(branch as string), rules })
  if (!decided.ok) throw new CutRefusedError([decided.reason])
  const plan = decided.plan
  const prime = plan.tags[0]
  log(`The cut: ${plan.tags.map((t) => `${t.tag} on ${t.branch}`).join(', ')}${plan.createBranch ? `, creating ${plan.createBranch}` : ''} (after ${previous ? formatVersion(previous) : 'no release'}).`)

  const refusals: string[] = []
  for (const t of plan.tags) {
    const at = await history.tagCommit(t.tag)
    if (at && at !== sha) refusals.push(`tag ${t.tag} already exists at ${at}, not at the commit being released (${sha})`)
  }
  const done = published.get(prime.tag)
  if (done) refusals.push(`${prime.tag} is already released: ${done.html_url}`)
  // A second release of one type on the same tested commit is a re-run of a finished cut, not a
  // new release (an official on the commit of its last rc is fine).
  if (previous && typeOf(previous) === plan.type) {
    let previousTested = await history.tagCommit(formatVersion(previous))
    for (let own = previousTested && (await bookkeeping(previousTested)); own; own = await bookkeeping(own.parent)) previousTested = own.parent
    if (previousTested === tested) refusals.push(`${formatVersion(previous)} already released commit ${tested}: a new ${plan.type} release needs new commits`)
  }
  // The commit must be on the branch the release is cut from (a branch cut: on the default branch).
  const onBranchName = plan.createBranch ? rules.defaultBranch : plan.branch
  const branchHead = history.branches.get(onBranchName)
  const onBranch = branchHead !== undefined && (await history.isAncestor(sha, branchHead))

  const checks = request.config.require_green ? await readCommitChecks(client, where, tested, request.selfRunId) : undefined
  const judged: GateResult = gate({
    version: plan.version,
    branch: onBranchName,
    defaultBranch: rules.defaultBranch,
    branchPrefix: rules.branchPrefix,
    onBranch,
    requireGreen: request.config.require_green,
    checkRuns: checks?.checkRuns ?? [],
    statuses: checks?.statuses ?? [],
    ...(checks?.testReport ? { testReport: checks.testReport } : {})
  })
  if (!judged.ok) refusals.push(...judged.reasons)
  if (refusals.length > 0) throw new CutRefusedError(refusals)

  // The notes: the merged PRs of the range, exact by ancestry in the fetched history.
  let notes: NotesDocument = releaseNotes([])
  let pulls = 0
  if (previous) {
    const from = formatVersion(previous)
    const fromCommit = await history.tagCommit(from)
    const inRange = await history.commitsBetween(fromCommit, sha)
    const base = plan.createBranch || plan.branch === rules.defaultBranch ? rules.defaultBranch : plan.branch
    const gathered = await gatherReleasePulls(client, where, { from, to: sha, base, until: request.now.toISOString(), inRange: (oid) => inRange.has(oid) })
    pulls = gathered.pulls.length
    notes = releaseNotes(gathered.pulls)
    log(`Release notes: ${notes.notes.length} notes from ${pulls} merged pull requests into ${base} since ${from} (${gathered.requests} requests).`)
  }

  const assets = request.assets.length > 0 ? withChecksums(request.assets) : []
  const checksums = request.assets.map((a) => ({ name: a.name, sha256: hexDigest('sha256', a.bytes) }))
  const latest = makeLatest(plan.version, releases)
  const changelogPath = `${request.config.changelog_dir.replace(/\/+$/, '')}/CHANGELOG-${plan.version.major}.${plan.version.minor}.md`
  const changelogBranch = plan.createBranch ?? plan.branch
  const serverUrl = request.git.serverUrl.replace(/\/+$/, '')
  const changelogUrl = `${serverUrl}/${where.owner}/${where.repo}/blob/${changelogBranch}/${changelogPath}`
  const view: CutView = {
    mock: !request.nomock,
    repository: repositoryName,
    version: plan.version,
    type: plan.type,
    ...(previous ? { previous } : {}),
    sha,
    branch: plan.branch,
    ...(plan.createBranch ? { createBranch: plan.createBranch } : {}),
    tags: plan.tags,
    gate: request.config.require_green ? judged : { skipped: 'release.require_green is false' },
    notes: { markdown: notes.markdown, count: notes.notes.length, skipped: notes.skipped.length, pulls },
    changelogPath,
    release: { prerelease: plan.version.pre !== undefined, makeLatest: latest },
    assets: assets.map((a) => ({ name: a.name, size: a.bytes.length, sha256: hexDigest('sha256', a.bytes) }))
  }
  const result = { plan, sha, notes, checksums }
  if (!request.nomock) {
    log('Mock mode: nothing was written. Run with nomock: true to cut it.')
    return { ...result, mock: true, view, markdown: renderCut(view) }
  }

  const steps: { step: string; outcome: string }[] = []
  const step = (name: string, outcome: string) => {
    steps.push({ step: name, outcome })
    log(`${name}: ${outcome}`)
  }
  for (const t of plan.tags) step(`tag ${t.tag}`, await ensureTag(client, where, { tag: t.tag, sha, message: `${repositoryName} ${plan.type} release ${t.tag}` }))
  if (plan.createBranch) step(`branch ${plan.createBranch}`, await ensureBranch(client, where, plan.createBranch, sha))
  const date = request.now.toISOString().slice(0, 10)
  const changelog = await ensureChangelog(client, where, {
    branch: changelogBranch,
    path: changelogPath,
    message: `CHANGELOG: ${prime.tag}`,
    update: (existing) => changelogWithRelease(existing, { tag: prime.tag, ...(previous ? { previous: formatVersion(previous) } : {}), notes: notes.markdown, date, line: `${plan.version.major}.${plan.version.minor}` })
  })
  step(`changelog ${changelogPath} on ${changelogBranch}`, changelog.outcome)
  const draft = await ensureDraftRelease(client, where, { tag: prime.tag, name: prime.tag, body: releaseBody(notes.markdown, changelogUrl), prerelease: plan.version.pre !== undefined, target: sha })
  step(`release ${prime.tag}`, draft.outcome)
  if (assets.length > 0) {
    const uploaded = await ensureAssets(client, where, draft.release, assets)
    for (const [name, outcome] of Object.entries(uploaded)) step(`asset ${name}`, outcome)
  }
  const publication = await publish(client, where, draft.release, latest)
  step(`publish ${prime.tag}${latest ? ' (latest)' : ''}`, publication.outcome)
  const finished = { ...view, steps, releaseUrl: publication.release.html_url }
  return { ...result, mock: false, view: finished, markdown: renderCut(finished), releaseUrl: publication.release.html_url }
}

/**
 * Returns the release a commit is the changelog commit of (`CHANGELOG: <tag>`, changing only files
 * under `dir`), with its parent, or null for any other commit. The message alone is not trusted:
 * the commit's files are read (one request) before CI is judged on its parent instead.
 */
async function changelogCommit(client: GitHubClient, where: RepoRef, history: ReleaseHistory, sha: string, dir: string): Promise<{ tag: string; parent: string } | null> {
  const { message, parent } = await history.commit(sha)
  const m = /^CHANGELOG: (v\S+)$/.exec(message)
  if (!m || !parent || !parseVersion(m[1])) return null
  const { data } = await client.rest.repos.getCommit({ ...where, ref: sha, per_page: 100 })
  const prefix = `${dir.replace(/\/+$/, '')}/`
  const files = data.files ?? []
  if (files.length === 0 || files.length >= 100 || !files.every((f) => f.filename.startsWith(prefix) && f.status !== 'removed')) return null
  return { tag: m[1], parent }
}
