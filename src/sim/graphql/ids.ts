/**
 * Global node ids. They use the same encoding as the REST `node_id` fields (base64 of
 * `0:<Type><key>`), so an id read from a webhook payload works in a GraphQL mutation.
 */

/** Returns the node id of an object of `type` with `key` (a database id, or `repoId:oid` and the like). */
export function nodeId(type: string, key: string | number): string {
  return Buffer.from(`0:${type}${key}`).toString('base64')
}

/** Returns the type and key encoded in a node id, or null when it is not one of ours. */
export function decodeNodeId(id: string): { type: string; key: string } | null {
  if (!/^[A-Za-z0-9+/]+=*$/.test(id)) return null
  const m = /^0:([A-Z][A-Za-z]*?)(\d.*)$/.exec(Buffer.from(id, 'base64').toString('utf8'))
  return m ? { type: m[1], key: m[2] } : null
}
