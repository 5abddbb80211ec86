// Simulator throughput: REST requests per second with GitHub's schema validation on (request
// bodies always, responses too); best of three alternating rounds each, against the same simulator without response validation and a
// bare node:http server answering a fixed JSON body, all in the same run.
import { createServer } from 'node:http'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const REQUESTS = 3000
const CONCURRENCY = 8

async function drive(base, makeRequest) {
  let next = 0
  let failures = 0
  const worker = async () => {
    while (next < REQUESTS) {
      const i = next++
      const { path, init } = makeRequest(i)
      const res = await fetch(base + path, init)
      await res.arrayBuffer()
      // Concurrent workers may remove the label before another adds it (404); only errors count.
      if (res.status >= 500 || res.status === 422) failures++
    }
  }
  const t = performance.now()
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  const s = (performance.now() - t) / 1000
  return { perSecond: REQUESTS / s, failures }
}

// A mix of what actions do: read an issue, add a label, remove it, list comments.
const mix = (i) => {
  const headers = { authorization: 'token ghs_actions', 'content-type': 'application/json' }
  switch (i % 4) {
    case 0:
      return { path: '/repos/acme/widgets/issues/1', init: { headers } }
    case 1:
      return { path: '/repos/acme/widgets/issues/1/labels', init: { method: 'POST', headers, body: JSON.stringify({ labels: ['bench'] }) } }
    case 2:
      return { path: '/repos/acme/widgets/issues/1/labels/bench', init: { method: 'DELETE', headers } }
    default:
      return { path: '/repos/acme/widgets/issues/1/comments', init: { headers } }
  }
}

export async function simThroughput(root, log) {
  const { Simulator } = await import(pathToFileURL(join(root, 'lib/sim/server.js')).href)
  const { demoFixture } = await import(pathToFileURL(join(root, 'lib/sim/fixtures/demo.js')).href)
  const measure = async (checkResponses) => {
    const sim = await Simulator.start({ fixture: demoFixture(), checkResponses })
    try {
      await drive(sim.url, mix) // warm-up: compile validators, JIT
      return await drive(sim.url, mix)
    } finally {
      await sim.stop()
    }
  }
  // Alternate the two configurations and keep each one's best of three rounds, so that neither
  // gains from running later (JIT, caches) or loses to a burst of other load.
  const best = (a, b) => (!a || b.perSecond > a.perSecond ? b : a)
  let full
  let requestOnly
  for (let round = 0; round < 3; round++) {
    full = best(full, await measure(true))
    requestOnly = best(requestOnly, await measure(false))
  }
  const bare = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end('{"ok":true}')
  })
  await new Promise((r) => bare.listen(0, '127.0.0.1', r))
  const bareUrl = `http://127.0.0.1:${bare.address().port}`
  await drive(bareUrl, mix)
  let ceiling
  for (let round = 0; round < 3; round++) ceiling = best(ceiling, await drive(bareUrl, mix))
  await new Promise((r) => bare.close(r))
  log(`request+response validation: ${full.perSecond.toFixed(0)} req/s (${full.failures} failures)`)
  log(`request validation only: ${requestOnly.perSecond.toFixed(0)} req/s`)
  log(`bare node:http: ${ceiling.perSecond.toFixed(0)} req/s`)
  const row = (what, r) => ({
    what: `${what}, ${REQUESTS} requests, ${CONCURRENCY} in flight`,
    value: `${r.perSecond.toFixed(0)} req/s`,
    reference: `bare node:http: ${ceiling.perSecond.toFixed(0)} req/s`,
    ratio: `${(r.perSecond / ceiling.perSecond).toFixed(2)}×`,
    budget: '—'
  })
  if (full.failures || requestOnly.failures) throw new Error(`benchmark requests failed: ${full.failures + requestOnly.failures}`)
  return {
    full,
    requestOnly,
    ceiling,
    rows: [row('simulator REST mix, request and response schemas checked', full), row('simulator REST mix, request schemas checked', requestOnly)]
  }
}
