// Dashboard size and speed (issue #4): a synthetic history of 5,000 tests over 100 and over 1,000
// runs (1% of the tests flaky, a few failing for good, 2% skipped, 40 added late) rendered by
// `renderDashboard` and opened in headless Chromium (Debian's `chromium`, playwright-core).
//
// `renderDashboard` runs without an analysis, so it also scores every test itself (the CLI passes
// the history's analysis instead). Median of 3 renders and 3 page loads.
//
// References, in the same run:
// - size: the records' own JSON (what the history stores) against the page's bytes;
// - render in Node: `JSON.parse` of those record files (reading the input at all);
// - first render in Chromium: the same browser loading a page that carries the same data block and
//   only `JSON.parse`s it: the floor any page that holds the data in one file pays.
// First render is the page's own clock (`performance.now()` when the first rows are drawn, from
// navigation start); "scroll" (logged only) is one jump to the middle of the rows and the redraw.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const TESTS = 5_000
const SIZES = [100, 1_000]
const LOADS = 3
const RENDERS = 3
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/** Returns `runs` records of TESTS tests, oldest first, deterministic (a small LCG, no Math.random). */
export function syntheticHistory(runs) {
  let state = 20261122
  const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296)
  const ids = Array.from({ length: TESTS }, (_, i) => `com.example.module${Math.floor(i / 250)}.Service${Math.floor(i / 25)}Test\u001ftest_case_${i}_handles_input`)
  const kind = ids.map((_, i) => (i >= TESTS - 40 ? 'new' : i % 100 === 7 ? 'flaky' : i % 500 === 11 ? 'broken' : i % 50 === 3 ? 'skipped' : 'stable'))
  const base = ids.map(() => Math.round(Math.exp(random() * 8)))
  const records = []
  // The new tests are the last ids, so index j of either list is test j; runs share one list, as
  // the history's reader shares equal lists.
  const before = ids.filter((_, i) => kind[i] !== 'new')
  for (let r = 0; r < runs; r++) {
    const names = r < runs - 5 ? before : ids
    let outcomes = ''
    const timesMs = new Array(names.length)
    const messages = {}
    for (let i = 0; i < names.length; i++) {
      const k = kind[i]
      const c = k === 'skipped' ? 's' : k === 'broken' && r >= runs - 10 ? 'f' : k === 'flaky' && random() < 0.1 ? (random() < 0.5 ? 'f' : 'k') : 'p'
      outcomes += c
      timesMs[i] = c === 's' ? 0 : Math.round(base[i] * (0.8 + 0.4 * random()))
      if (c === 'f') messages[i] = `AssertionError: expected ${Math.floor(random() * 100)} to equal 42`
    }
    records.push({
      format: 'shepherd-test-record',
      version: 1,
      run: {
        id: 9_000_000 + r,
        attempt: 1,
        url: `https://github.com/acme/widgets/actions/runs/${9_000_000 + r}`,
        workflow: 'CI',
        job: 'test',
        event: 'push',
        branch: 'main',
        sha: (r * 2654435761 >>> 0).toString(16).padStart(8, '0').repeat(5),
        createdAt: new Date(Date.UTC(2026, 0, 1) + r * 3_600_000).toISOString()
      },
      names,
      outcomes,
      timesMs,
      messages,
      totals: { runs: { total: 0, passed: 0, failed: 0, errored: 0, skipped: 0 }, tests: { total: 0, passed: 0, failed: 0, errored: 0, skipped: 0, flaky: 0 } }
    })
  }
  return records
}

/** The page that only parses the data block: the same bytes of data, no grid. */
function parseOnlyPage(html) {
  const data = /<script type="application\/json" id="dashboard-data">[^<]*<\/script>/.exec(html)[0]
  return `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body>${data}<script>JSON.parse(document.getElementById('dashboard-data').textContent);document.documentElement.setAttribute('data-ready', String(Math.round(performance.now())))</script></body></html>`
}

async function loadTimes(browser, file) {
  const times = []
  for (let i = 0; i < LOADS; i++) {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
    await page.goto(pathToFileURL(file).href)
    await page.waitForSelector('html[data-ready]', { timeout: 120_000 })
    times.push(Number(await page.getAttribute('html', 'data-ready')))
    await page.close()
  }
  return median(times)
}

export async function dashboard(root, log) {
  const { renderDashboard } = await import(pathToFileURL(join(root, 'lib/core/dashboard/render.js')).href)
  const { chromium } = await import('playwright-core')
  let browser = null
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
  } catch (err) {
    log(`no browser numbers: cannot launch Chromium at ${CHROMIUM} (apt-get install -y chromium): ${err.message.split('\n')[0]}`)
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-dashboard-'))
  const rows = []
  const results = {}
  try {
    for (const runs of SIZES) {
      const records = syntheticHistory(runs)
      const texts = records.map((r) => JSON.stringify(r))
      const inputBytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0)
      const parses = []
      const renders = []
      let html = ''
      for (let i = 0; i < RENDERS; i++) {
        let t = performance.now()
        for (const text of texts) JSON.parse(text)
        parses.push(performance.now() - t)
        t = performance.now()
        html = renderDashboard(records, undefined, { title: `bench ${runs} runs` })
        renders.push(performance.now() - t)
      }
      const parseMs = median(parses)
      const renderMs = median(renders)
      const file = join(dir, `dashboard-${runs}.html`)
      writeFileSync(file, html)
      const floorFile = join(dir, `parse-only-${runs}.html`)
      writeFileSync(floorFile, parseOnlyPage(html))
      const bytes = Buffer.byteLength(html)
      rows.push(
        { what: `dashboard page size, ${runs} runs × ${TESTS.toLocaleString('en')} tests`, value: `${(bytes / 1048576).toFixed(2)} MiB`, reference: `the records' JSON: ${(inputBytes / 1048576).toFixed(1)} MiB`, ratio: `${(bytes / inputBytes).toFixed(3)}×` },
        { what: `renderDashboard, ${runs} runs × ${TESTS.toLocaleString('en')} tests`, value: `${renderMs.toFixed(0)} ms`, reference: `\`JSON.parse\` of the records: ${parseMs.toFixed(0)} ms`, ratio: `${(renderMs / parseMs).toFixed(2)}×` }
      )
      results[runs] = { tests: TESTS, inputBytes, bytes, parseMs, renderMs }
      log(`${runs} runs × ${TESTS} tests: page ${(bytes / 1048576).toFixed(1)} MiB (records ${(inputBytes / 1048576).toFixed(1)} MiB); render ${renderMs.toFixed(0)} ms (parse ${parseMs.toFixed(0)} ms)`)
      if (!browser) continue
      const firstMs = await loadTimes(browser, file)
      const floorMs = await loadTimes(browser, floorFile)
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
      await page.goto(pathToFileURL(file).href)
      await page.waitForSelector('html[data-ready]', { timeout: 120_000 })
      const scrollMs = await page.evaluate(
        () =>
          new Promise((done) => {
            const t0 = performance.now()
            window.scrollTo(0, document.documentElement.scrollHeight / 2)
            requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t0)))
          })
      )
      const domRows = await page.$$eval('#body .row', (r) => r.length)
      const columns = await page.$$eval('#head .col', (c) => c.length)
      await page.close()
      Object.assign(results[runs], { firstMs, floorMs, scrollMs, domRows, columns })
      log(`  first render ${firstMs} ms (parse-only page ${floorMs} ms); scroll to the middle ${scrollMs.toFixed(0)} ms; ${domRows} rows × ${columns} columns in the DOM`)
      rows.push({
        what: `dashboard first render in headless Chromium, ${runs} runs × ${TESTS.toLocaleString('en')} tests (median of ${LOADS})`,
        value: `${firstMs} ms`,
        reference: `a page that only parses the same data: ${floorMs} ms`,
        ratio: `${(firstMs / floorMs).toFixed(2)}×`
      })
    }
  } finally {
    await browser?.close()
    rmSync(dir, { recursive: true, force: true })
  }
  return { results, rows }
}
