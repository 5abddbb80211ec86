/**
 * The queue page as a reader sees it: renderQueuePage for a realistic queue (a pool of 12, 3
 * batches in flight of which one fails, 2 merged, 1 ejected, 2 waiting with reasons) opened from
 * disk in real headless Chromium (Debian's `chromium`, driven by playwright-core). Saves
 * test-output/merge-queue-page.png.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type Browser } from 'playwright-core'
import { REPO_ROOT } from '../src/cli/args.js'
import { renderQueuePage } from '../src/core/merge-queue/view.js'
import { escapeHtml } from '../src/core/dashboard/render.js'
import { HOSTILE_TITLE, realisticView } from './core/merge-queue-view-support.js'

// The page's globals, for the callbacks that run inside it (the project's TypeScript lib has no DOM).
declare const document: { title: string }
declare const window: { injected?: boolean }

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const SCREENSHOT = join(REPO_ROOT, 'test-output', 'merge-queue-page.png')

let browser: Browser
const dir = mkdtempSync(join(tmpdir(), 'queue-page-'))
const view = realisticView()
const html = renderQueuePage(view)

/** Writes `text` as a page and returns its file URL. */
function pageFile(name: string, text: string): string {
  const file = join(dir, name)
  writeFileSync(file, text)
  return pathToFileURL(file).href
}

beforeAll(async () => {
  mkdirSync(join(REPO_ROOT, 'test-output'), { recursive: true })
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
  } catch (err) {
    throw new Error(`cannot launch Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (Debian), or set CHROMIUM_PATH. ${(err as Error).message.split('\n')[0]}`)
  }
})

afterAll(async () => {
  await browser?.close()
})

/** Opens `url` and records everything the page did that it should not. */
async function open(url: string, options: { javaScriptEnabled?: boolean } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: options.javaScriptEnabled ?? true })
  const page = await context.newPage()
  const problems: string[] = []
  const console: string[] = []
  page.on('console', (m) => console.push(`${m.type()}: ${m.text()}`))
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`)
    void d.dismiss()
  })
  page.on('request', (r) => {
    if (r.url() !== url) problems.push(`request: ${r.url()}`)
  })
  // A request the policy refuses is still announced; one that got an answer was not refused.
  page.on('response', (r) => {
    if (r.url() !== url) problems.push(`response: ${r.url()}`)
  })
  await page.goto(url)
  return { page, problems, console, close: () => context.close() }
}

/** The text of every cell of a table, row by row. */
async function rows(page: import('playwright-core').Page, id: string): Promise<string[][]> {
  type Row = { querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> }
  return page.$$eval(`#${id} tbody tr`, (trs) => trs.map((tr) => Array.from((tr as unknown as Row).querySelectorAll('td'), (td) => (td.textContent ?? '').trim())))
}

describe('the queue page in Chromium', () => {
  it('shows the queue, the batches with their checks, the reasons, the plan and recent outcomes', async () => {
    const { page, problems, console, close } = await open(pageFile('index.html', html))
    expect(await page.textContent('h1')).toBe('Merge queue: acme/widgets main')
    expect(await page.evaluate(() => document.title)).toBe('Merge queue: acme/widgets main')
    expect(await page.textContent('#summary')).toMatch(/^12 queued · 2 batches in flight \(K = 3, batches of up to 4\) · 3 not in the pool · base at /)

    const queue = await rows(page, 'queue-table')
    expect(queue.map((r) => r[0])).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'])
    // Batched PRs first in chain order; the urgent PR heads the waiting ones.
    expect(queue.map((r) => r[1])).toEqual(['#101', '#102', '#103', '#104', '#105', '#106', '#120', '#107', '#108', '#109', '#110', '#111'])
    expect(queue[4][2]).toBe(HOSTILE_TITLE)
    expect(queue[6][4]).toBe('priority/critical-urgent')
    expect(queue[6][5]).toBe('waiting')
    expect(queue[0][5]).toBe('batch 21')
    for (const r of queue) expect(r[6]).toMatch(/^~\d+ (min|h)/)

    const batches = await rows(page, 'batch-table')
    expect(batches.map((r) => r[0])).toEqual(['21', '22', '23'])
    expect(batches[1][2]).toBe('#104 #105 #106')
    expect(batches[1][4]).toBe('failed')
    expect(batches[1][5]).toBe('unit-tests: failurelint <img src=x onerror=alert(3)>: failure')
    expect(batches[0][5]).toBe('unit-tests: pendinglint: success')
    expect(batches[2][7]).toBe('cancelled: batch 22 ahead of it failed')
    expect(await page.$$eval('#batch-table td.s-failed', (tds) => tds.length)).toBe(1)

    const waiting = await rows(page, 'waiting-table')
    expect(waiting.map((r) => r[0])).toEqual(['#130', '#131', '#140'])
    expect(waiting[0][3]).toBe('Should not have do-not-merge/hold label')
    expect(waiting[1][3]).toBe('Not mergeable: pull request is a draftNot mergeable: missing label lgtmJob unit-tests has not succeeded')
    expect(waiting[2][3]).toBe('Ejected: Failing checks: unit-testsNot mergeable: missing label lgtm')

    expect(await page.$$eval('#next-list li', (lis) => lis.map((li) => li.textContent))).toEqual(['Cancel batch 23: batch 22 ahead of it failed.'])
    expect((await rows(page, 'merged-table')).map((r) => r[0])).toEqual(['#91', '#90'])
    expect(await rows(page, 'ejected-table')).toEqual([['#140', 'Fix the widget parser', 'Failing checks: unit-tests', '2026-11-22T11:45:00Z']])
    expect(await page.getAttribute('#queue-table tbody tr:first-child a', 'href')).toBe('https://github.com/acme/widgets/pull/101')

    // The hostile title and check name are text: no script, image or link came from them.
    expect(await page.$$eval('script, img, iframe, object, embed', (e) => e.length)).toBe(0)
    expect(await page.$$eval('a', (as) => as.filter((a) => (a.getAttribute('href') ?? '').startsWith('javascript')).length)).toBe(0)
    expect(problems).toEqual([])
    expect(console).toEqual([])
    await page.screenshot({ path: SCREENSHOT, fullPage: true })
    await close()
  })

  it('reads the same without JavaScript', async () => {
    const { page, problems, close } = await open(pageFile('index.html', html), { javaScriptEnabled: false })
    expect(await page.$$eval('#queue-table tbody tr', (trs) => trs.length)).toBe(12)
    expect(await page.$$eval('#batch-table tbody tr', (trs) => trs.length)).toBe(3)
    expect(await page.isVisible('#waiting-table')).toBe(true)
    expect(problems).toEqual([])
    await close()
  })

  it('has a Content-Security-Policy that blocks a script even if a title were not escaped', async () => {
    // Undo the escaping of the hostile title, as a bug in the renderer would: the policy must still stop it.
    const escaped = escapeHtml(HOSTILE_TITLE)
    expect(html).toContain(escaped)
    const broken = html.split(escaped).join('<script>window.injected = true; document.title = "owned"</script><img src="https://example.invalid/x.png">')
    const { page, problems, console, close } = await open(pageFile('broken.html', broken))
    expect(await page.$$eval('script', (s) => s.length)).toBeGreaterThan(0)
    expect(await page.evaluate(() => window.injected ?? false)).toBe(false)
    expect(await page.evaluate(() => document.title)).toBe('Merge queue: acme/widgets main')
    expect(console.some((line) => /Content Security Policy/.test(line) && /script/i.test(line))).toBe(true)
    expect(console.some((line) => /Content Security Policy/.test(line) && /img-src|image/i.test(line))).toBe(true)
    expect(problems.filter((p) => p.startsWith('response:') || p.startsWith('dialog'))).toEqual([])
    await close()
  })
})
