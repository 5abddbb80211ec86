/**
 * The dashboard as a reader sees it: `shepherd dashboard` writes the page for a generated 40-run
 * history, and real headless Chromium (Debian's `chromium`, driven by playwright-core) opens it
 * from disk. Saves test-output/dashboard.png.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { main } from '../src/cli/main.js'
import { REPO_ROOT } from '../src/cli/args.js'
import type { RunRecord } from '../src/core/test-report/model.js'
import { analyzeFlakes } from '../src/core/test-history/analyze.js'
import { loadHistory } from '../src/core/test-history/history.js'
import { fromFlakeAnalysis } from '../src/core/dashboard/from-flakes.js'
import { renderDashboard } from '../src/core/dashboard/render.js'
import { dashboardHistory, HOSTILE_MESSAGE, KNOWN, RUNS } from './fixtures/dashboard/history.js'

// The page's globals, for the callbacks that run inside it (the project's TypeScript lib has no DOM).
declare const window: { scrollTo(x: number, y: number): void; scrollBy(x: number, y: number): void; scrollY: number; innerHeight: number }
declare const document: {
  title: string
  documentElement: { scrollHeight: number }
  querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> & Iterable<{ textContent: string | null }>
  getElementById(id: string): { textContent: string | null } | null
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const SCREENSHOT = join(REPO_ROOT, 'test-output', 'dashboard.png')
const CLASS_OF: Record<string, string> = { p: 'pass', f: 'fail', e: 'error', s: 'skip', k: 'flaky', '-': 'none' }

let browser: Browser
let url: string
const records: RunRecord[] = dashboardHistory()
/** Records newest first: column r of the page is newest[r]. */
const newest = [...records].reverse()

beforeAll(async () => {
  mkdirSync(join(REPO_ROOT, 'test-output'), { recursive: true })
  const history = mkdtempSync(join(tmpdir(), 'dash-history-'))
  for (const record of records) writeFileSync(join(history, `${record.run.id}-${record.run.attempt}.json`), JSON.stringify(record))
  const out = mkdtempSync(join(tmpdir(), 'dash-site-'))
  const code = await main(['dashboard', '--history', history, '--out', out, '--title', 'acme/widgets · test'], { out: () => {}, err: (l) => console.error(l) })
  if (code !== 0) throw new Error(`shepherd dashboard exited ${code}`)
  url = pathToFileURL(join(out, 'index.html')).href
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
  } catch (err) {
    throw new Error(`cannot launch Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (Debian), or set CHROMIUM_PATH. ${(err as Error).message.split('\n')[0]}`)
  }
})

afterAll(async () => {
  await browser?.close()
})

/** A page opened on the dashboard, with everything it tried to do that it should not. */
async function open(viewport = { width: 1400, height: 900 }) {
  const page = await browser.newPage({ viewport })
  const problems: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`)
    void d.dismiss()
  })
  page.on('request', (r) => {
    if (r.url() !== url) problems.push(`request: ${r.url()}`)
  })
  await page.goto(url)
  await page.waitForSelector('html[data-ready]')
  return { page, problems }
}

/** Returns the page's rows in display order, scrolling through the virtualized list. */
async function allRows(page: Page): Promise<{ name: string; classes: string[]; runs: number[]; titles: string[] }[]> {
  const rows = new Map<number, { name: string; classes: string[]; runs: number[]; titles: string[] }>()
  await page.evaluate(() => window.scrollTo(0, 0))
  for (let step = 0; step < 50; step++) {
    const seen = await page.$$eval('#body .row', (els) =>
      els.map((row) => ({
        top: parseFloat(row.style.top),
        name: (row.querySelector('.cls')?.textContent ?? '') + (row.querySelector('.test')?.textContent ?? ''),
        classes: [...row.querySelectorAll('.cell')].map((c) => c.className),
        runs: [...row.querySelectorAll('.cell')].map((c) => Number(c.getAttribute('data-run'))),
        titles: [...row.querySelectorAll('.cell')].map((c) => c.title)
      }))
    )
    for (const s of seen) rows.set(s.top, s)
    const done = await page.evaluate(() => window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1)
    if (done) break
    await page.evaluate(() => window.scrollBy(0, window.innerHeight / 2))
    await page.waitForTimeout(50)
  }
  await page.evaluate(() => window.scrollTo(0, 0))
  return [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r)
}

/** The record id of a row's displayed name ("classname › name"). */
function idOf(displayed: string): string {
  return displayed.replace(' › ', '\u001f')
}

describe('the dashboard in headless Chromium', () => {
  it('shows every test, flakiest first, each cell classed as its record says, with a tooltip', async () => {
    const { page, problems } = await open()
    const summary = await page.$eval('#summary', (p) => ({ text: p.textContent, runs: p.getAttribute('data-runs'), tests: p.getAttribute('data-tests') }))
    expect(summary.runs).toBe(String(RUNS))
    expect(summary.tests).toBe('60')
    expect(summary.text).toContain('failing now')

    const rows = await allRows(page)
    const ids = rows.map((r) => idOf(r.name))
    expect(new Set(ids).size).toBe(60)
    // Flakiest first (isolated failures every 4th run), then the other flaky ones; broken (a long
    // failure streak, not flaky) leads the failing-but-not-flaky; stable tests last, by name.
    expect(ids[0]).toBe(KNOWN.flakyOften)
    for (const flaky of [KNOWN.retried, KNOWN.flakySeldom]) expect(ids.indexOf(flaky)).toBeLessThan(ids.indexOf(KNOWN.broken))
    expect(ids.indexOf(KNOWN.broken)).toBeLessThan(ids.indexOf(KNOWN.skipped))
    const stable = ids.filter((id) => id.includes('stable'))
    expect(stable).toEqual([...stable].sort())
    expect(ids.slice(-stable.length)).toEqual(stable)

    // Every cell against the records: all 40 runs fit in one page at this width.
    for (const row of rows) {
      const id = idOf(row.name)
      expect(row.runs).toEqual(newest.map((_, r) => r))
      row.classes.forEach((cls, r) => {
        const i = newest[r].names.indexOf(id)
        expect(cls).toBe(`cell ${CLASS_OF[i < 0 ? '-' : newest[r].outcomes[i]]}`)
      })
    }
    const broken = rows.find((r) => idOf(r.name) === KNOWN.broken)
    expect(broken?.titles[0]).toMatch(new RegExp(`^errored · \\d\\.\\d\\d s\\nrun ${newest[0].run.id} · ${newest[0].run.createdAt.slice(0, 16).replace('T', ' ')} UTC · ${newest[0].run.sha.slice(0, 7)} · main · test\\nAssertionError: run ${RUNS - 1}$`))
    const added = rows.find((r) => idOf(r.name) === KNOWN.added)
    expect(added?.titles[0]).toMatch(/^passed · 1 min 15 s\n/)
    expect(added?.titles[5]).toMatch(/^not run\n/)
    expect(problems).toEqual([])
    await page.close()
  })

  it('heads each column with its date and commit, linked to the run', async () => {
    const { page, problems } = await open()
    const heads = await page.$$eval('#head .col', (cols) => cols.map((c) => ({ text: c.textContent, href: c.querySelector('a')?.getAttribute('href'), title: c.title })))
    expect(heads).toHaveLength(RUNS)
    heads.forEach((h, r) => {
      expect(h.href).toBe(newest[r].run.url)
      expect(h.text).toBe(`${newest[r].run.createdAt.slice(5, 16).replace('T', ' ')} ${newest[r].run.sha.slice(0, 7)}`)
    })
    expect(heads[RUNS - 1 - 20].title).toContain('(attempt 2)')
    expect(await page.textContent('#page-label')).toBe(`runs 1–${RUNS} of ${RUNS}`)
    expect(problems).toEqual([])
    await page.close()
  })

  it('pages through columns when the window is narrow', async () => {
    const { page, problems } = await open({ width: 800, height: 700 })
    const first = await page.$$eval('#head .col a', (as) => as.map((a) => a.getAttribute('href')))
    expect(first.length).toBeLessThan(RUNS)
    expect(first).toEqual(newest.slice(0, first.length).map((r) => r.run.url))
    expect(await page.isDisabled('#newer')).toBe(true)
    await page.click('#older')
    const second = await page.$$eval('#head .col a', (as) => as.map((a) => a.getAttribute('href')))
    expect(second[0]).toBe(newest[first.length].run.url)
    const cellRuns = await page.$$eval('#body .row:first-child .cell', (cs) => cs.map((c) => Number(c.getAttribute('data-run'))))
    expect(cellRuns[0]).toBe(first.length)
    expect(problems).toEqual([])
    await page.close()
  })

  it('keeps only the rows on screen in the DOM', async () => {
    const { page } = await open({ width: 1400, height: 500 })
    const inDom = await page.$$eval('#body .row', (rows) => rows.length)
    expect(inDom).toBeLessThan(40)
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight))
    await page.waitForFunction(() => [...document.querySelectorAll('#body .test')].some((e) => e.textContent === 'stable 51'))
    await page.close()
  })

  it('filters rows by substring, by /regex/, and to flaky or failing tests', async () => {
    const { page, problems } = await open()
    const names = async () => (await allRows(page)).map((r) => idOf(r.name))
    await page.fill('#filter', 'STABLE 0')
    await page.waitForFunction(() => document.querySelectorAll('#body .row').length === 10)
    expect((await names()).every((id) => /stable 0\d$/.test(id))).toBe(true)
    expect(await page.textContent('#shown')).toBe('10 of 60 tests shown')

    await page.fill('#filter', '/Known (broken|skipped)$/')
    await page.waitForFunction(() => document.querySelectorAll('#body .row').length === 2)
    expect((await names()).sort()).toEqual([KNOWN.broken, KNOWN.skipped].sort())

    await page.fill('#filter', '/(/')
    await page.waitForFunction(() => document.getElementById('filter-error')?.textContent !== '')
    expect(await page.textContent('#filter-error')).toMatch(/^not a regular expression/)

    await page.fill('#filter', 'nothing is called this')
    await page.waitForSelector('#empty:not([hidden])')

    await page.fill('#filter', '')
    await page.selectOption('#only', 'failing')
    const failing = await names()
    const newestRun = (id: string) => {
      for (const rec of newest) {
        const c = rec.outcomes[rec.names.indexOf(id)]
        if (rec.names.includes(id) && c !== 's') return c
      }
      return '-'
    }
    const expectedFailing = [...new Set(records.flatMap((r) => r.names))].filter((id) => /[fe]/.test(newestRun(id)))
    expect(failing.sort()).toEqual(expectedFailing.sort())
    expect(failing).toContain(KNOWN.broken)

    await page.selectOption('#only', 'regressed')
    expect(await names()).toEqual([KNOWN.broken])
    expect(await page.$$eval('#body .row .badge.regressed', (b) => b.length)).toBe(1)

    await page.selectOption('#only', 'flaky')
    const flaky = await names()
    expect(flaky).toContain(KNOWN.flakyOften)
    expect(flaky).toContain(KNOWN.retried)
    expect(flaky).not.toContain(KNOWN.broken)
    expect(flaky.some((id) => id.includes('stable'))).toBe(false)
    const badges = await page.$$eval('#body .row', (rows) => rows.every((r) => r.querySelector('.badge.flaky') !== null))
    expect(badges).toBe(true)
    expect(problems).toEqual([])
    await page.close()
  })

  it('draws a test’s history chart when its row is clicked: one point per run that has the test', async () => {
    const { page, problems } = await open()
    const click = async (id: string) => {
      const [cls, name] = id.split('\u001f')
      // The filter applies 120 ms after the last keystroke and rebuilds every row: a click before
      // that can press on a row and release on its replacement, which is no click on a row. So
      // the rows drawn now are marked, and the click waits until none of them is left.
      await page.$$eval('#body .row', (rows) => rows.forEach((r) => r.setAttribute('data-stale', '')))
      await page.fill('#filter', name)
      await page.waitForFunction((n) => document.querySelectorAll('#body .row[data-stale]').length === 0 && [...document.querySelectorAll('#body .test')].some((e) => e.textContent === n), name)
      await page.click(`#body .row:has(.test:text-is("${name}"))`)
      await page.waitForSelector('#detail:not([hidden])')
      expect(await page.textContent('#detail-name')).toBe(`${cls} › ${name}`)
      return page.$$eval('#chart circle.point', (cs) => cs.map((c) => ({ cls: c.getAttribute('class'), run: Number(c.getAttribute('data-run')) })))
    }
    const often = await click(KNOWN.flakyOften)
    expect(often).toHaveLength(RUNS)
    // Oldest run on the left: points go from the last column to the first.
    expect(often.map((p) => p.run)).toEqual(newest.map((_, r) => RUNS - 1 - r))
    for (const p of often) {
      const rec = newest[p.run]
      expect(p.cls).toBe(`point ${CLASS_OF[rec.outcomes[rec.names.indexOf(KNOWN.flakyOften)]]}`)
    }
    expect(await page.$$eval('#chart rect.mark', (rs) => rs.length)).toBe(RUNS)
    expect(await page.$eval('#chart polyline.duration', (p) => p.getAttribute('points')?.split(' ').length)).toBe(RUNS)
    const verdicts = await page.$$eval('#detail-verdicts li', (lis) => lis.map((li) => li.textContent))
    expect(verdicts.some((v) => v?.startsWith('flip-rate: '))).toBe(true)
    const analysis = analyzeFlakes(loadHistory(records)).tests.find((t) => t.id === KNOWN.flakyOften)
    const rates = `flip rate ${Math.round((analysis?.flipRate ?? NaN) * 10) / 10} · pass rate ${Math.round((analysis?.passRate ?? NaN) * 10) / 10}%`
    expect(await page.textContent('#detail-stats')).toMatch(new RegExp(`^${rates} · in 40 of 40 runs: 30 passed, 10 failed, 0 errored, 0 flaky, 0 skipped · failing now$`))
    await page.fill('#filter', '')
    await page.waitForFunction(() => document.querySelectorAll('#body .row').length > 10)
    await page.screenshot({ path: SCREENSHOT })

    expect(await click(KNOWN.added)).toHaveLength(5)
    expect(await click(KNOWN.removed)).toHaveLength(10)
    await page.click('#detail-close')
    expect(await page.isHidden('#detail')).toBe(true)
    // From the keyboard: Enter on a focused row opens its chart, Escape closes it.
    // The filter still holds the last name clicked; focus that row by name, not whichever row the
    // virtualized list shows first while it re-renders.
    const removedName = KNOWN.removed.split('\u001f')[1]
    await page.focus(`#body .row:has(.test:text-is("${removedName}"))`)
    await page.keyboard.press('Enter')
    await page.waitForSelector('#detail:not([hidden])')
    expect(await page.$$eval('#chart circle.point', (cs) => cs.length)).toBe(10)
    await page.keyboard.press('Escape')
    expect(await page.isHidden('#detail')).toBe(true)
    expect(problems).toEqual([])
    await page.close()
  })

  it('shows a test named <script>alert(1)</script> as text: no dialog, no new element, no request', async () => {
    const { page, problems } = await open()
    const [cls, name] = KNOWN.hostile.split('\u001f')
    await page.fill('#filter', 'alert')
    await page.waitForFunction(() => document.querySelectorAll('#body .row').length === 1)
    expect(await page.textContent('#body .row .test')).toBe(name)
    expect(await page.textContent('#body .row .cls')).toBe(`${cls} › `)
    expect(await page.$eval('#body .row .cell', (c) => c.title)).toContain(HOSTILE_MESSAGE)
    await page.click('#body .row')
    await page.waitForSelector('#detail:not([hidden])')
    await page.hover('#body .row .cell')
    expect(await page.$$eval('script', (s) => s.length)).toBe(2)
    expect(await page.$$eval('img, iframe, object, embed, #body b, #detail-name *', (e) => e.length)).toBe(0)
    expect(await page.evaluate(() => document.title)).toBe('acme/widgets · test')
    expect(problems).toEqual([])
    await page.close()
  })

  it('above listAllUpTo tests, lists the troubled tests and counts the steady ones in the header', async () => {
    const analysis = fromFlakeAnalysis(analyzeFlakes(loadHistory(records)))
    const file = join(mkdtempSync(join(tmpdir(), 'dash-site-')), 'index.html')
    writeFileSync(file, renderDashboard(records, analysis, { title: 'big', listAllUpTo: 10 }))
    const listed = new Set<string>(analysis.filter((a) => a.verdicts.length).map((a) => a.id))
    for (const r of records) for (let i = 0; i < r.names.length; i++) if ('fek'.includes(r.outcomes[i])) listed.add(r.names[i])
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(pathToFileURL(file).href)
    await page.waitForSelector('html[data-ready]')
    const summary = await page.$eval('#summary', (p) => ({ text: p.textContent, tests: p.getAttribute('data-tests'), listed: p.getAttribute('data-listed') }))
    expect(summary.tests).toBe('60')
    expect(summary.listed).toBe(String(listed.size))
    expect(listed.size).toBeLessThan(60)
    expect(summary.text).toContain(`${60 - listed.size} steady (passed or skipped in every run), not listed`)
    const names = await page.$$eval('#body .row .test', (els) => els.map((e) => e.textContent))
    expect(names).toContain(KNOWN.flakyOften.split('\u001f')[1])
    expect(names.some((n) => n?.includes('stable'))).toBe(false)
    expect(errors).toEqual([])
    await page.close()
  })
})
