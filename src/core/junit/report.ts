/** Totals over several JUnit files: one test id in two files is one test. */
import type { FileReport, ReadError, Report, TestResult } from '../test-report/model.js'
import { addCounts, countTests, emptyCounts, mergeInto } from './counts.js'

/** Returns the report of a run made of `files`: runs summed, tests merged by id across files (in order of first appearance), errors listed. */
export function mergeReports(files: FileReport[]): Report {
  const runs = emptyCounts()
  const byId = new Map<string, TestResult>()
  const errors: ReadError[] = []
  for (const file of files) {
    addCounts(runs, file.runs)
    if (file.error) errors.push(file.error)
    for (const result of file.results) {
      const seen = byId.get(result.id)
      if (seen) mergeInto(seen, result)
      else byId.set(result.id, { ...result, executions: [...result.executions] })
    }
  }
  const results = [...byId.values()]
  return { files, runs, tests: countTests(results), results, errors }
}
