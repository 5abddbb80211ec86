// Release notes for 2,000 merged PRs (issue 6's bar: at most 30 API requests): gatherReleasePulls
// against the simulator, requests counted from its request log and time measured, beside what a
// REST lister makes in the same run (`pulls.list state=closed base=main`, 100 a page, filtered by
// merged_at: what release-drafter-style tools do). The simulated repository holds only the 2,000
// PRs, 150 older ones (cherry-pick origins) and one later: on a real repository the REST lister
// pages through every closed PR of the base ever, the search only through the range.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const PRS = 2000
const BUDGET = 30

export async function releaseNotes(root, log) {
  const lib = (p) => import(pathToFileURL(join(root, 'lib', p)).href)
  const { Simulator } = await lib('sim/server.js')
  const { GitRepo } = await lib('sim/git.js')
  const { ensureLabel, newIssue } = await lib('sim/issues.js')
  const { ensureUser } = await lib('sim/state.js')
  const { createClient } = await lib('github/client.js')
  const { gatherReleasePulls } = await lib('github/release-notes-fetch.js')
  const { releaseNotes: notesOf } = await lib('core/release/notes.js')

  const sim = await Simulator.start({ fixture: { tokens: [{ token: 'reader-token', login: 'reader' }], repos: [{ owner: 'acme', name: 'widgets' }] } })
  try {
    const repo = sim.state.repos.get('acme/widgets')
    const git = new GitRepo(repo.gitDir)
    const at = (iso) => Date.parse(iso) / 1000
    const commit = async (parent, date, message) => {
      const who = { name: 'Dev', email: 'dev@example.com', date }
      return git.commitTree(await git.writeTree(parent, { [`${message}.txt`]: message }), [parent], message, who, who)
    }
    const tagged = await commit(await git.resolve('refs/heads/main'), at('2026-03-01T00:00:00Z'), 'v1.0.0')
    const target = await commit(tagged, at('2026-03-31T00:00:00Z'), 'v1.1.0')
    await git.updateRef('refs/heads/main', target)
    await git.updateRef('refs/tags/v1.0.0', tagged)
    await git.updateRef('refs/tags/v1.1.0', target)
    ensureLabel(sim.state, repo, 'kind/feature')
    const merged = (n, p) => {
      ensureUser(sim.state, p.user)
      const issue = newIssue(sim.state, repo, { title: p.title, body: p.body, user: p.user, labels: ['kind/feature'] })
      const when = new Date(p.mergedAt * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
      Object.assign(issue, { state: 'closed', closedAt: when, updatedAt: when })
      const sha = n.toString(16).padStart(40, 'f')
      issue.pull = { head: { ref: p.head ?? `topic-${n}`, sha }, base: { ref: 'main', sha }, draft: false, merged: true, mergedAt: when, mergeCommitSha: sha, mergedBy: 'acme', requestedReviewers: [] }
      return issue
    }
    const origins = []
    for (let k = 0; k < 150; k++) origins.push(merged(100_000 + k, { title: `Old ${k}`, body: '', user: `origin-${k}`, mergedAt: at('2026-02-01T00:00:00Z') + k }).number)
    for (let i = 0; i < PRS; i++) {
      const pick = i % 13 === 0 ? origins.shift() : undefined
      merged(i + 1, { title: `Change ${i}`, body: `\`\`\`release-note\nChange ${i}.\n\`\`\``, user: pick ? 'shepherd-bot' : `dev-${i % 37}`, head: pick ? `cherry-pick-${pick}-to-main` : undefined, mergedAt: at('2026-03-01T00:00:01Z') + Math.floor((i * 29 * 86_400) / PRS) })
    }
    merged(999_999, { title: 'After', body: '', user: 'x', mergedAt: at('2026-03-31T00:00:01Z') })

    const client = createClient({ token: 'reader-token', baseUrl: sim.url, pacing: false })
    await gatherReleasePulls(client, { owner: 'acme', repo: 'widgets' }, { from: 'v1.0.0', to: 'v1.1.0' }) // warm-up
    sim.requests.length = 0
    let t = performance.now()
    const r = await gatherReleasePulls(client, { owner: 'acme', repo: 'widgets' }, { from: 'v1.0.0', to: 'v1.1.0' })
    const ours = { requests: sim.requests.length, ms: performance.now() - t, found: r.pulls.length, notes: notesOf(r.pulls).notes.length }
    if (ours.found !== PRS) throw new Error(`found ${ours.found} PRs, expected ${PRS}`)

    sim.requests.length = 0
    t = performance.now()
    const since = Date.parse('2026-03-01T00:00:00Z')
    const until = Date.parse('2026-03-31T00:00:00Z')
    // Pages by number: the simulator's Link header drops the query (state, base), so paginate() would stop early.
    const listed = []
    for (let page = 1; ; page++) {
      const { data } = await client.rest.pulls.list({ owner: 'acme', repo: 'widgets', state: 'closed', base: 'main', per_page: 100, page })
      listed.push(...data)
      if (data.length < 100) break
    }
    const inRange = listed.filter((p) => p.merged_at && Date.parse(p.merged_at) > since && Date.parse(p.merged_at) <= until)
    const rest = { requests: sim.requests.length, ms: performance.now() - t, found: inRange.length }
    log(`search: ${ours.requests} requests, ${ours.ms.toFixed(0)} ms, ${ours.found} PRs, windows ${r.windows.map((w) => w.count).join('+')}`)
    log(`REST pulls.list: ${rest.requests} requests, ${rest.ms.toFixed(0)} ms, ${rest.found} PRs (no origin authors)`)
    return {
      ours,
      rest,
      rows: [
        { what: `release notes, ${PRS} merged PRs in range (150 cherry-picks): API requests`, value: String(ours.requests), reference: `REST pulls.list of the base's closed PRs: ${rest.requests} (grows with the repository's history)`, ratio: `${(ours.requests / rest.requests).toFixed(2)}×`, budget: `≤ ${BUDGET}` },
        { what: `release notes, ${PRS} merged PRs in range: time on the simulator`, value: `${ours.ms.toFixed(0)} ms`, reference: `REST pulls.list: ${rest.ms.toFixed(0)} ms`, ratio: `${(ours.ms / rest.ms).toFixed(2)}×`, budget: '—' }
      ]
    }
  } finally {
    await sim.stop()
  }
}
