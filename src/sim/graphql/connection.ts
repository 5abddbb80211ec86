/**
 * Relay connections as GitHub serves them: `first`/`after` and `last`/`before` with opaque
 * cursors (base64 of a position), `pageInfo`, `totalCount`, and GitHub's limits: `first`/`last`
 * of at most 100, and one of them required whenever `nodes` or `edges` are selected.
 */
import { getNamedType, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql'
import type { Args, Field, Model } from './context.js'
import { GhError } from './errors.js'

export const MAX_PAGE = 100

/** Returns the cursor of the item at 0-based index `i`. */
export function cursorAt(i: number): string {
  return Buffer.from(`cursor:${i + 1}`).toString('base64')
}

/** Returns the 1-based position a cursor stands for. Throws GitHub's INVALID_CURSOR_ARGUMENTS error. */
export function cursorPosition(cursor: string): number {
  const m = /^cursor:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'))
  if (!m) throw new GhError('INVALID_CURSOR_ARGUMENTS', `\`${cursor}\` does not appear to be a valid cursor.`)
  return Number(m[1])
}

/** Whether the field's selection reads `nodes` or `edges` (directly or through fragments). */
export function selectsItems(info: GraphQLResolveInfo): boolean {
  const walk = (set: SelectionSetNode | undefined): boolean =>
    !!set?.selections.some((s) => {
      if (s.kind === 'Field') return s.name.value === 'nodes' || s.name.value === 'edges'
      if (s.kind === 'InlineFragment') return walk(s.selectionSet)
      return walk(info.fragments[s.name.value]?.selectionSet)
    })
  return info.fieldNodes.some((n) => walk(n.selectionSet))
}

/** Checks `first`/`last` as GitHub does. Throws MISSING_PAGINATION_BOUNDARIES or EXCESSIVE_PAGINATION. */
export function checkPageArgs(args: Args, info: GraphQLResolveInfo, name = info.fieldName): void {
  const { first, last } = args as { first?: number | null; last?: number | null }
  if (first == null && last == null) {
    if (selectsItems(info)) {
      throw new GhError('MISSING_PAGINATION_BOUNDARIES', `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`)
    }
    return
  }
  for (const [arg, n] of [['first', first], ['last', last]] as const) {
    if (n == null) continue
    if (n < 0) throw new GhError(null, `\`${arg}\` on the \`${name}\` connection cannot be less than zero.`)
    if (n > MAX_PAGE) {
      throw new GhError('EXCESSIVE_PAGINATION', `Requesting ${n} records on the \`${name}\` connection exceeds the \`${arg}\` limit of ${MAX_PAGE} records.`)
    }
  }
}

/** The window of `total` items a request asks for, as [start, end) indexes. */
export function pageWindow(total: number, args: Args): { start: number; end: number } {
  let start = 0
  let end = total
  if (args.after != null) start = Math.min(Math.max(start, cursorPosition(args.after)), total)
  if (args.before != null) end = Math.max(Math.min(end, cursorPosition(args.before) - 1), start)
  if (args.first != null) end = Math.min(end, start + args.first)
  if (args.last != null) start = Math.max(start, end - args.last)
  return { start, end }
}

/**
 * Returns one page of `items` as a connection object. `toNode` maps only the items on the page;
 * `edge` adds fields to each edge (e.g. a collaborator's `permission`); `extra` adds fields to
 * the connection (e.g. `issueCount`).
 */
export function connection<T>(
  items: readonly T[],
  args: Args,
  info: GraphQLResolveInfo,
  toNode: (item: T) => unknown,
  options: { extra?: Record<string, unknown>; edge?: (item: T) => Record<string, unknown>; name?: string } = {}
): Model {
  checkPageArgs(args, info, options.name)
  const { start, end } = pageWindow(items.length, args)
  const page = items.slice(start, end)
  let mapped: unknown[] | null = null
  const nodes = () => (mapped ??= page.map(toNode))
  const type = getNamedType(info.returnType).name
  return {
    __typename: type,
    totalCount: items.length,
    nodes,
    edges: () => page.map((item, i) => ({ __typename: type.replace(/Connection$/, 'Edge'), cursor: cursorAt(start + i), node: nodes()[i], ...options.edge?.(item) })),
    pageInfo: {
      __typename: 'PageInfo',
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: page.length ? cursorAt(start) : null,
      endCursor: page.length ? cursorAt(end - 1) : null
    },
    ...options.extra
  }
}

/**
 * Returns a connection field: `items` computes the full list from the field's arguments (after
 * the page arguments are checked), and `toNode` maps the items on the requested page.
 */
export function connectionField<T>(
  items: (args: Args) => readonly T[] | Promise<readonly T[]>,
  toNode: (item: T) => unknown,
  options: { extra?: Record<string, unknown>; edge?: (item: T) => Record<string, unknown>; name?: string } = {}
): Field<Model> {
  return async (args, _ctx, info) => {
    checkPageArgs(args, info, options.name)
    return connection(await items(args), args, info, toNode, options)
  }
}
