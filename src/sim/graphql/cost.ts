/**
 * GitHub's static query cost, computed before execution as its docs describe: every connection
 * (a field with `first`/`last`) costs one request per parent node that may reach it; the cost is
 * requests / 100 rounded, at least 1. A query that may return more than 500,000 nodes is refused.
 */
import type { FragmentDefinitionNode, OperationDefinitionNode, SelectionSetNode, ValueNode } from 'graphql'
import type { WireError } from './errors.js'

export const MAX_NODES = 500_000

export interface QueryCost {
  cost: number
  nodeCount: number
  budget: { limit: number; used: number; remaining: number; resetAt: string }
}

function numberOf(value: ValueNode | undefined, variables: Record<string, unknown>): number | null {
  if (!value) return null
  if (value.kind === 'IntValue') return Number(value.value)
  if (value.kind === 'Variable') {
    const v = variables[value.name.value]
    return typeof v === 'number' ? v : null
  }
  return null
}

/** Returns the cost and node count of an operation, or GitHub's MAX_NODE_LIMIT_EXCEEDED error. */
export function queryCost(
  op: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>
): { cost: number; nodeCount: number; error?: WireError } {
  let requests = 0
  let nodeCount = 0
  let error: WireError | undefined
  const walk = (set: SelectionSetNode | undefined, multiplier: number, path: string[], depth: number): void => {
    if (!set || error || depth > 50) return
    for (const sel of set.selections) {
      if (sel.kind === 'InlineFragment') walk(sel.selectionSet, multiplier, path, depth + 1)
      else if (sel.kind === 'FragmentSpread') walk(fragments[sel.name.value]?.selectionSet, multiplier, path, depth + 1)
      else {
        const key = sel.alias?.value ?? sel.name.value
        const arg = (name: string) => sel.arguments?.find((a) => a.name.value === name)?.value
        const size = numberOf(arg('first'), variables) ?? numberOf(arg('last'), variables)
        if (size === null) {
          walk(sel.selectionSet, multiplier, [...path, key], depth + 1)
          continue
        }
        requests += multiplier
        const nodes = multiplier * Math.max(size, 0)
        nodeCount += nodes
        if (nodeCount > MAX_NODES) {
          error = {
            type: 'MAX_NODE_LIMIT_EXCEEDED',
            path: [...path, key],
            locations: sel.loc ? [{ line: sel.loc.startToken.line, column: sel.loc.startToken.column }] : [],
            message: `By the time this query traverses to the ${sel.name.value} connection, it is requesting up to ${nodeCount.toLocaleString('en-US')} possible nodes which exceeds the maximum limit of ${MAX_NODES.toLocaleString('en-US')}.`
          }
          return
        }
        walk(sel.selectionSet, Math.max(nodes, 1), [...path, key], depth + 1)
      }
    }
  }
  walk(op.selectionSet, 1, [], 0)
  return { cost: Math.max(1, Math.round(requests / 100)), nodeCount, error }
}
