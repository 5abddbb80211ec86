/** Totals over several JUnit files: one test id in two files is one test. */
import type { FileReport, ReadError, Report } from '../test-report/model.js'
import { addCounts, emptyCounts } from './counts.js'
import { ResultTable } from './result-table.js'

/** Returns the report of a run made of `files`: runs summed, tests merged by id across files (in order of first appearance), errors listed. */
export function mergeReports(files: FileReport[]): Report {
  const runs = emptyCounts()
  const errors: ReadError[] = []
  for (const file of files) {
    addCounts(runs, file.runs)
    if (file.error) errors.push(file.error)
  }
  // One file's tests are the run's as they are; several are merged into a new table.
  const withTests = files.filter((f) => f.results.length > 0)
  let results: ResultTable
  if (withTests.length === 1) results = withTests[0].results
  else {
    results = new ResultTable()
    // Room for every file's tests (fewer when files share tests) and the bytes of their names and
    // kept failures: no growing, file by file.
    results.reserve(
      withTests.reduce((n, f) => n + f.results.length, 0),
      withTests.reduce((n, f) => n + f.results.storedBytes, 0)
    )
    for (const file of withTests) results.addTable(file.results)
  }
  return { files, runs, tests: { ...results.counts }, results, errors }
}
