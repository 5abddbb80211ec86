/** Which files `files` patterns pick (minimatch over the workspace, walking only where a pattern can match). */
import { describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { findFiles, readReport } from '../../src/github/test-report-files.js'
import { ResultTable } from '../../src/core/junit/index.js'
import { CORPUS, corpusFiles } from '../core/junit-support.js'

const root = mkdtempSync(join(tmpdir(), 'shepherd-files-'))
for (const f of ['a/TEST-one.xml', 'a/b/TEST-two.xml', 'a/b/skip.xml', 'a/notes.txt', '.hidden/TEST-h.xml', 'node_modules/x/TEST-n.xml', '.git/TEST-g.xml', 'top.xml']) {
  mkdirSync(dirname(join(root, f)), { recursive: true })
  writeFileSync(join(root, f), '<testsuite/>')
}
mkdirSync(join(root, 'loop'))
symlinkSync(root, join(root, 'loop/back'))

const rel = async (patterns: string[]) => (await findFiles(patterns, root)).map((f) => f.slice(root.length + 1))

describe('files patterns', () => {
  it.each([
    [['**/*.xml'], ['a/TEST-one.xml', 'a/b/TEST-two.xml', 'a/b/skip.xml', 'top.xml']],
    [['a/**/TEST-*.xml'], ['a/TEST-one.xml', 'a/b/TEST-two.xml']],
    [['**/*.xml', '!a/b/skip.xml'], ['a/TEST-one.xml', 'a/b/TEST-two.xml', 'top.xml']],
    [['top.xml'], ['top.xml']],
    [['missing.xml'], []],
    [['.hidden/*.xml'], ['.hidden/TEST-h.xml']],
    [['node_modules/**/*.xml'], ['node_modules/x/TEST-n.xml']],
    [['a/*.xml', 'a/TEST-*.xml'], ['a/TEST-one.xml']]
  ])('%j picks %j', async (patterns, want) => {
    expect(await rel(patterns)).toEqual(want)
  })

  it('takes absolute patterns too', async () => {
    expect(await findFiles([join(root, 'a/b/*.xml')], root)).toEqual([join(root, 'a/b/TEST-two.xml'), join(root, 'a/b/skip.xml')].sort())
  })

  it('never enters .git, and does not follow a symbolic link back into the tree', async () => {
    const all = await rel(['**'])
    expect(all.filter((f) => f.startsWith('.git/') || f.startsWith('loop/'))).toEqual([])
  })
})

describe('one file', () => {
  it('shares the file’s tests, which are what merging them into an empty table gives, for every file of the corpus', async () => {
    const files = corpusFiles()
    expect(files.length).toBeGreaterThan(20)
    for (const f of files) {
      const report = await readReport([join(CORPUS, f)], CORPUS, CORPUS)
      // A file with tests is shared as it is (one without gets an empty table of the run's own).
      if (report.files[0].results.length) expect(report.results).toBe(report.files[0].results)
      // The other way a run's tests are made (several files): copied test by test into a new table.
      const copied = new ResultTable()
      copied.addTable(report.files[0].results)
      expect(copied.toArray()).toEqual(report.results.toArray())
      expect(copied.counts).toEqual(report.tests)
    }
  })

  it('reports a file that cannot be opened as unreadable', async () => {
    const report = await readReport([join(root, 'missing.xml')], root, root)
    expect(report.errors).toEqual([{ file: 'missing.xml', message: 'no such file' }])
    expect(report.results.length).toBe(0)
    expect(report.tests).toEqual({ total: 0, passed: 0, failed: 0, errored: 0, skipped: 0, flaky: 0 })
  })
})
