/** Comment commands: find command lines, parse them into typed intents, describe them. */
export { commandLines, MAX_COMMENT_LENGTH, type CommandLine } from './lines.js'
export { parseCommands, type ParseOptions } from './parse.js'
export { COMMAND_SPECS, commandRegistry, commandSpecs, type CommandSpec } from './registry.js'
export { MAX_ARGS, MAX_LABEL_LENGTH, MAX_TITLE_LENGTH, MAX_VALUE_LENGTH } from './grammar.js'
export { describeIntent } from './describe.js'
export * from './types.js'
