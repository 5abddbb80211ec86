/** The run history and its flake verdicts (issue #4): records, the history matrix, the analysis. */
export { toRunRecord, encodeRecord, decodeRecord, recordDecoder, recordFromValue, RecordError, RECORD_FORMAT, RECORD_VERSION, MESSAGE_LIMIT, type OutcomeChar, type RecordDecoder } from './record.js'
export {
  loadHistory,
  readRecords,
  namesSharer,
  outcomeAt,
  outcomesOf,
  recordIndex,
  timeAt,
  messageAt,
  rowOf,
  DEFAULT_HISTORY_RUNS,
  type TestHistory,
  type HistoryTest,
  type HistoryOptions,
  type RecordSource
} from './history.js'
export { analyzeFlakes, resolveOptions, DEFAULT_FLAKE_OPTIONS, type FlakeOptions, type FlakeAnalysis, type TestFlakes, type OutcomeName, type ResolvedFlakeOptions } from './analyze.js'
export { newFailures, type NewFailure, type NewFailures } from './new-failures.js'
export { fisherExactGreater, logFactorial } from './fisher.js'
export { flipFlakiness, IGNORE_FAILURES_IN_A_ROW, type FlipCount } from './flip.js'
export { computeWindows, DEFAULT_WINDOWS, type WindowOptions, type Windows, type WindowSpan } from './windows.js'
export type { Verdict, VerdictCategory, RetryVerdict, SameCommitVerdict, FlipVerdict, RegressionVerdict, NewTestVerdict, WindowCounts } from './verdicts.js'
