/**
 * GraphQL errors as GitHub shapes them. Errors raised while resolving carry GitHub's `type`
 * (NOT_FOUND, FORBIDDEN, EXCESSIVE_PAGINATION, …); syntax errors use graphql-ruby's wording
 * (validation.ts translates validation and variable errors).
 */
import { GraphQLError, Lexer, Source, TokenKind } from 'graphql'

/** An error with GitHub's `type` (`NOT_FOUND`, `FORBIDDEN`, …), raised by a resolver. */
export class GhError extends Error {
  constructor(
    readonly type: string | null,
    message: string,
    readonly extensions?: Record<string, unknown>
  ) {
    super(message)
  }
}

/** Raised for schema fields and mutations the simulator does not implement. */
export function notImplemented(what: string): GhError {
  return new GhError(null, `${what} is not implemented by the simulator.`, { code: 'SIMULATOR_NOT_IMPLEMENTED' })
}

export interface WireError {
  type?: string
  path?: (string | number)[]
  locations?: { line: number; column: number }[]
  message: string
  extensions?: Record<string, unknown>
}

/** Formats an error raised during execution as GitHub does: `{type, path, locations, message}`. */
export function executionError(err: GraphQLError): WireError {
  const original = err.originalError
  const gh = original instanceof GhError ? original : null
  const internal = original && !gh && !(original instanceof GraphQLError)
  return {
    ...(gh?.type ? { type: gh.type } : {}),
    ...(err.path ? { path: [...err.path] } : {}),
    ...(err.locations ? { locations: err.locations.map((l) => ({ line: l.line, column: l.column })) } : {}),
    message: internal ? `Simulator error: ${original.message}` : err.message,
    ...(internal ? { extensions: { stack: original.stack } } : gh?.extensions ? { extensions: gh.extensions } : {})
  }
}

// graphql-ruby's token names, used in its "Parse error on …" messages.
const PUNCTUATORS: Record<string, string> = {
  '{': 'LCURLY', '}': 'RCURLY', '(': 'LPAREN', ')': 'RPAREN', '[': 'LBRACKET', ']': 'RBRACKET', ':': 'COLON', $: 'VAR_SIGN',
  '!': 'BANG', '=': 'EQUALS', '...': 'ELLIPSIS', '@': 'DIR_SIGN', '|': 'PIPE', '&': 'AMP'
}
const KEYWORDS = new Set([
  'on', 'fragment', 'true', 'false', 'null', 'query', 'mutation', 'subscription', 'schema', 'scalar', 'type', 'extend', 'implements',
  'interface', 'union', 'enum', 'input', 'directive', 'repeatable'
])

/** Formats a syntax error as graphql-ruby does: `Parse error on "foo" (IDENTIFIER) at [1, 1]`. */
export function syntaxError(source: string, err: GraphQLError): WireError {
  const pos = err.positions?.[0] ?? 0
  const lexer = new Lexer(new Source(source))
  try {
    let tok = lexer.advance()
    while (tok.kind !== TokenKind.EOF && tok.end <= pos) tok = lexer.advance()
    if (tok.kind === TokenKind.EOF) return { message: 'Unexpected end of document', locations: [] }
    let name: string
    if (tok.kind === TokenKind.NAME) name = KEYWORDS.has(tok.value ?? '') ? (tok.value ?? '').toUpperCase() : 'IDENTIFIER'
    else if (tok.kind === TokenKind.INT || tok.kind === TokenKind.FLOAT) name = tok.kind === TokenKind.INT ? 'INT' : 'FLOAT'
    else if (tok.kind === TokenKind.STRING || tok.kind === TokenKind.BLOCK_STRING) name = 'STRING'
    else name = PUNCTUATORS[tok.kind] ?? 'UNKNOWN_CHAR'
    const text = tok.value ?? tok.kind
    return { message: `Parse error on ${JSON.stringify(text)} (${name}) at [${tok.line}, ${tok.column}]`, locations: [{ line: tok.line, column: tok.column }] }
  } catch {
    const loc = err.locations?.[0] ?? { line: 1, column: pos + 1 }
    return { message: `Parse error on ${JSON.stringify(source.slice(pos, pos + 1))} (UNKNOWN_CHAR) at [${loc.line}, ${loc.column}]`, locations: [loc] }
  }
}
