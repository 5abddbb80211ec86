// Where test-report keeps its history (issue #4): the cost of loading the newest N records from
// each store, side by side in one run, against the simulator. Each N gets a fresh simulator
// holding N runs × TESTS tests of the same generated suite as bench/test-history.mjs (record JSON
// from `encodeRecord`), stored three ways:
//   - artifacts: one raw artifact per run (the store gzips the JSON), uploaded through
//     @actions/artifact, loaded by name across runs (list-artifacts-for-repo) and downloaded;
//   - the data branch with the JSON as is (text files), read with git: git stores and sends
//     similar records as deltas of each other;
//   - the data branch with gzip-compressed JSON (base64 files), read with git and with GraphQL.
// Every contender ends with the records' JSON (gzip is undone inside the timing).
// The branch is seeded with one push of N − 1 files in the store's own layout (`historyDir`,
// `recordFileName`), then the Nth record is saved through the store, as a run would (that save is
// measured too). Requests are counted from the simulator's request log: API (REST and GraphQL,
// what GitHub's rate limit counts), blob storage downloads, git (smart HTTP). Times are wall
// clock for `load()`, median of ROUNDS after one unmeasured load; then again with LATENCY_MS added
// to every request, since the loopback simulator hides what round trips cost. Last, the bytes each
// history takes in the repository after a repack.
//
// Usage: node bench/test-history-store.mjs (after `npx tsc -p tsconfig.build.json`), or
// npm run bench -- test-history-store. SHEPHERD_BENCH_STORE=100x5000,1000x5000 sets the sizes.
import { execFile } from 'node:child_process'
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { gunzipSync, gzipSync } from 'node:zlib'
import { generateRecord, generateSuite } from './test-history.mjs'

const ROUNDS = 3
/** A load slower than this is measured once after its warm-up. */
const SLOW_MS = 15000
/** Delay added to every request in the second series: a round trip to GitHub, roughly. */
const LATENCY_MS = 50
const TOKEN = 'ghs_bench'
const where = { owner: 'acme', repo: 'widgets' }

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

function git(cwd, args, env = {}) {
  return new Promise((resolve, reject) =>
    execFile('git', args, { cwd, env: { PATH: process.env.PATH, HOME: cwd, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', ...env }, maxBuffer: 1 << 30 }, (err, stdout, stderr) =>
      err ? reject(new Error(`git ${args[0]}: ${stderr}`)) : resolve(stdout)
    )
  )
}

/** Counts a slice of the request log: API requests, blob downloads, git requests. */
function classify(log) {
  const c = { api: 0, blob: 0, git: 0, twirp: 0, byRoute: {} }
  for (const r of log) {
    const kind = r.route === 'git' ? 'git' : r.path.startsWith('/_blob/') ? 'blob' : r.path.startsWith('/twirp/') ? 'twirp' : 'api'
    c[kind]++
    const name = r.route !== 'artifact' ? r.route : kind === 'blob' ? 'blob' : kind === 'twirp' ? r.path.split('/').pop() : r.path.endsWith('/zip') ? 'actions/download-artifact' : 'actions/list-artifacts-for-repo'
    c.byRoute[name] = (c.byRoute[name] ?? 0) + 1
  }
  return c
}

export async function testHistoryStore(root, log) {
  const lib = (p) => import(pathToFileURL(join(root, 'lib', p)).href)
  const { Simulator } = await lib('sim/server.js')
  const { artifactEnv } = await lib('sim/artifacts/index.js')
  const { createClient } = await lib('github/client.js')
  const { BranchHistoryStore, ArtifactHistoryStore } = await lib('github/test-history-store.js')
  const { historyDir, recordFileName } = await lib('github/history-branch.js')
  const { encodeRecord } = await lib('core/test-history/index.js')
  const { DefaultArtifactClient } = await import(pathToFileURL(join(root, 'node_modules/@actions/artifact/lib/artifact.js')).href)

  const sizes = (process.env.SHEPHERD_BENCH_STORE ?? '100x5000,1000x5000').split(',').map((s) => s.split('x').map(Number))
  const results = []
  const rows = []
  for (const [runs, tests] of sizes) {
    const fixture = { tokens: [{ token: TOKEN, login: 'github-actions[bot]', kind: 'github-token' }], repos: [{ owner: 'acme', name: 'widgets', workflows: ['ci.yml'] }] }
    const sim = await Simulator.start({ fixture })
    const scratch = await mkdtemp(join(tmpdir(), 'bench-history-store-'))
    try {
      const gh = createClient({ token: TOKEN, baseUrl: sim.url, pacing: false })
      const suite = generateSuite(tests, runs)
      let t = performance.now()
      const texts = []
      const gz = []
      for (let r = 0; r < runs; r++) {
        texts.push(encodeRecord(generateRecord(suite, r)))
        gz.push(gzipSync(texts[r]))
      }
      const jsonBytes = texts.reduce((n, s) => n + Buffer.byteLength(s), 0)
      const gzBytes = gz.reduce((n, b) => n + b.length, 0)
      log(`${runs} runs × ${tests} tests: ${(jsonBytes / 1e6).toFixed(0)} MB JSON, ${(gzBytes / 1e6).toFixed(1)} MB gzip (generated in ${(performance.now() - t).toFixed(0)} ms)`)

      // Histories: the same runs as gzip records and as JSON records (two jobs).
      const keyGz = { workflow: 'CI', job: 'test', branch: 'main' }
      const keyJson = { ...keyGz, job: 'test-json' }
      const infos = suite.runInfos

      // Artifacts: a workflow run per record, each uploading its record through @actions/artifact.
      t = performance.now()
      const artifactRuns = []
      for (let r = 0; r < runs; r++) {
        const { data } = await gh.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', { ...where, workflow_id: 'ci.yml', ref: 'main', return_run_details: true })
        artifactRuns.push(data.workflow_run_id)
      }
      const write = process.stdout.write
      let saveArtifact
      for (let r = 0; r < runs; r++) {
        const id = artifactRuns[r]
        const uploader = {
          uploadArtifact: (...args) => {
            Object.assign(process.env, artifactEnv(sim.url, id))
            return new DefaultArtifactClient().uploadArtifact(...args)
          }
        }
        const store = new ArtifactHistoryStore(gh, where, { uploader, tempDir: scratch })
        const from = sim.requests.length
        const t0 = performance.now()
        process.stdout.write = () => true // @actions/artifact reports progress as workflow commands
        try {
          await store.save({ ...keyJson, id, attempt: infos[r].attempt, createdAt: infos[r].createdAt }, Buffer.from(texts[r]))
        } finally {
          process.stdout.write = write
        }
        if (r === runs - 1) saveArtifact = { ms: performance.now() - t0, ...classify(sim.requests.slice(from)) }
      }
      log(`seeded ${runs} artifact records in ${(performance.now() - t).toFixed(0)} ms`)

      // The branch: one push of runs − 1 records per history in the store's layout, then one save each.
      t = performance.now()
      const work = join(scratch, 'work')
      await mkdir(work)
      await git(work, ['init', '-q', '-b', 'seed'])
      for (const [key, content, enc] of [[keyGz, (r) => gz[r].toString('base64'), 'b64'], [keyJson, (r) => texts[r], 'txt']]) {
        const dir = join(work, historyDir(key))
        await mkdir(dir, { recursive: true })
        for (let r = 0; r < runs - 1; r++) await writeFile(join(dir, recordFileName({ ...infos[r], ...key }, enc)), content(r))
      }
      await git(work, ['add', '.'])
      await git(work, ['-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', 'commit', '-qm', 'seed history'])
      const header = `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`
      await git(work, ['-c', `http.extraHeader=${header}`, 'push', '-q', `${sim.url}/acme/widgets.git`, 'seed:refs/heads/shepherd/test-history'])
      log(`seeded the branch with ${2 * (runs - 1)} records in one push in ${(performance.now() - t).toFixed(0)} ms`)
      const branch = (options = {}) => new BranchHistoryStore(gh, where, { git: { token: TOKEN, serverUrl: sim.url }, tempDir: scratch, ...options })
      const saves = {}
      for (const [name, key, bytes] of [['gzip', keyGz, gz[runs - 1]], ['json', keyJson, Buffer.from(texts[runs - 1])]]) {
        const from = sim.requests.length
        const t0 = performance.now()
        await branch().save({ ...infos[runs - 1], ...key }, bytes)
        saves[name] = { ms: performance.now() - t0, ...classify(sim.requests.slice(from)) }
      }

      // Every contender is given the records' JSON and ends with it: gzip records are gunzipped after loading, inside the timing.
      const asIs = (bytes) => bytes
      const gunzipped = (bytes) => gunzipSync(bytes)
      const contenders = [
        { name: 'artifact', what: 'artifacts (the store gzips)', store: () => new ArtifactHistoryStore(gh, where), key: keyJson, finish: asIs },
        { name: 'branch-git-json', what: 'data branch, git reader, JSON records', store: () => branch({ reader: 'git' }), key: keyJson, finish: asIs },
        { name: 'branch-git', what: 'data branch, git reader, gzip records (+ gunzip)', store: () => branch({ reader: 'git' }), key: keyGz, finish: gunzipped },
        { name: 'branch-graphql', what: 'data branch, GraphQL reader, gzip records (+ gunzip)', store: () => branch({ reader: 'graphql' }), key: keyGz, finish: gunzipped }
      ]
      const limits = runs > 100 ? [100, runs] : [runs]
      const measured = {}
      const measure = async (c, limit, label) => {
        const times = []
        let counts
        let rounds = ROUNDS
        for (let round = 0; round <= rounds; round++) {
            const from = sim.requests.length
            const t0 = performance.now()
            const loaded = await c.store().load(c.key, { limit })
            const json = loaded.records.map((r) => c.finish(r.bytes))
            const ms = performance.now() - t0
            if (loaded.records.length !== Math.min(limit, runs) || loaded.skipped.length) throw new Error(`${c.name} loaded ${loaded.records.length} records (${loaded.skipped.length} skipped), expected ${limit}`)
            if (!Buffer.from(json[json.length - 1]).equals(Buffer.from(texts[runs - 1]))) throw new Error(`${c.name} loaded different bytes for the newest record`)
            if (round === 0) {
              if (ms > SLOW_MS) rounds = 1 // one measured round for loads that take many seconds
              continue
            }
            times.push(ms)
            counts = classify(sim.requests.slice(from))
          }
          const m = { ms: median(times), rounds, ...counts }
          log(`load ${limit} of ${runs} stored${label}, ${c.what}: ${m.ms.toFixed(0)} ms (median of ${rounds}), ${counts.api} API + ${counts.blob} blob + ${counts.git} git requests ${JSON.stringify(counts.byRoute)}`)
          return m
      }
      for (const limit of limits) for (const c of contenders) measured[`${c.name}@${limit}`] = await measure(c, limit, '')
      // Loopback answers in microseconds; GitHub does not. The same loads with every request delayed
      // by LATENCY_MS (the simulator's latency fault, which lets requests overlap) show what round trips cost.
      sim.setFaults([{ kind: 'latency', latencyMs: LATENCY_MS }])
      for (const limit of limits) {
        for (const c of contenders) {
          if (c.name === 'branch-graphql' && limit > 100) continue // tens of seconds in the simulator already (one git process per blob)
          measured[`${c.name}@${limit}+latency`] = await measure(c, limit, ` with ${LATENCY_MS} ms per request`)
        }
      }
      sim.setFaults([])
      log(`save one record with ${runs - 1} stored: artifact ${saveArtifact.ms.toFixed(0)} ms (${saveArtifact.twirp} artifact service + ${saveArtifact.blob} blob, ${saveArtifact.api} API), branch gzip ${saves.gzip.ms.toFixed(0)} ms (${saves.gzip.api} API), branch JSON ${saves.json.ms.toFixed(0)} ms (${saves.json.api} API)`)

      // Repository size on disk: what the branch costs to keep (loose objects as the API wrote them, plus the seed pack).
      // At rest: each history's blobs in the repository after a repack (what GitHub keeps doing in the background).
      const repoDir = sim.state.repos.get('acme/widgets').gitDir
      await git(repoDir, ['repack', '-adq', '--window=250', '--depth=50'])
      const atRest = {}
      for (const [name, key] of [['gzip', keyGz], ['json', keyJson]]) {
        const list = await git(repoDir, ['ls-tree', `shepherd/test-history:${historyDir(key)}`])
        const oids = list.trim().split('\n').map((l) => l.split(/\s+/)[2])
        const sizes = await new Promise((resolve, reject) => {
          const child = execFile('git', ['cat-file', '--batch-check=%(objectsize:disk)'], { cwd: repoDir, maxBuffer: 1 << 26 }, (err, out) => (err ? reject(err) : resolve(out)))
          child.stdin.end(oids.join('\n') + '\n')
        })
        const bytes = sizes.trim().split('\n').reduce((n, x) => n + Number(x), 0)
        atRest[name] = { bytes, perResult: bytes / (runs * tests) }
        log(`at rest after repack, ${name} records: ${(bytes / 1e6).toFixed(1)} MB, ${(bytes / (runs * tests)).toFixed(2)} bytes per test result`)
      }
      results.push({ runs, tests, jsonBytes, gzBytes, measured, saves: { artifact: saveArtifact, ...saves }, atRest })

      const fmt = (m) => `${m.ms.toFixed(0)} ms, ${m.api} API${m.blob ? ` + ${m.blob} blob` : ''}${m.git ? ` + ${m.git} git` : ''} requests`
      for (const suffix of ['', '+latency']) {
        for (const limit of limits) {
          const a = measured[`artifact@${limit}${suffix}`]
          for (const name of ['branch-git-json', 'branch-git', 'branch-graphql']) {
            const m = measured[`${name}@${limit}${suffix}`]
            if (!m) continue
            rows.push({
              what: `load ${limit.toLocaleString('en')} of ${runs.toLocaleString('en')} stored runs × ${tests.toLocaleString('en')} tests${suffix ? `, ${LATENCY_MS} ms per request` : ''}: ${contenders.find((c) => c.name === name).what}, median of ${m.rounds}`,
              value: fmt(m),
              reference: `artifacts: ${fmt(a)}`,
              ratio: `${(m.ms / a.ms).toFixed(2)}× time; API requests ${m.api} vs ${a.api}`
            })
          }
        }
      }
    } finally {
      await sim.stop()
      await rm(scratch, { recursive: true, force: true })
    }
  }
  return { results, rows }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..')
  const { rows } = await testHistoryStore(root, (line) => console.log(line))
  for (const row of rows) console.log(`| ${row.what} | ${row.value} | ${row.reference} | ${row.ratio} |`)
}
