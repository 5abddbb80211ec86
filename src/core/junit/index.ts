/** The JUnit reader's public surface: read files (streamed or whole), merge them into a run's report. */
export { readJUnit, readJUnitText, JUnitReader, DEFAULT_LIMITS, TRUNCATED, type ReadOptions, type TextLimits } from './reader.js'
export { mergeReports } from './report.js'
export { ResultTable } from './result-table.js'
export { testOutcome, emptyCounts, emptyTestCounts } from './counts.js'
export { parseTimeMs } from './time.js'
export { XmlError, XML_LIMITS } from './xml.js'
