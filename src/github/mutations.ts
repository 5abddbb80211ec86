/**
 * Batched GraphQL writes: label, assignee and comment changes on one item collected into a single
 * mutation document (GitHub runs a document's mutations in order), so a command costs one write.
 * Every value travels as a variable.
 */
import type { GitHubClient } from './client.js'

/** Node ids that let an effect be written through GraphQL (from the snapshot read). */
export interface GraphqlIds {
  /** The item's node id and its number. */
  item: string
  number: number
  /** Label name (lower-cased) → node id. */
  labels: Record<string, string>
  /** Login (lower-cased) → User node id. */
  users: Record<string, string>
  /** Comment database id → node id. */
  comments: Record<number, string>
}

interface Part {
  field: string
  input: Record<string, unknown>
  inputType: string
}

/** Mutations waiting to be sent as one document. */
export class MutationBatch {
  private parts: Part[] = []

  get size(): number {
    return this.parts.length
  }

  add(field: string, inputType: string, input: Record<string, unknown>): void {
    this.parts.push({ field, inputType, input })
  }

  /** Sends the pending mutations in one request and empties the batch. Throws GitHub's error. */
  async flush(client: GitHubClient): Promise<void> {
    if (!this.parts.length) return
    const parts = this.parts
    this.parts = []
    const query = `mutation Shepherd(${parts.map((p, i) => `$m${i}: ${p.inputType}!`).join(', ')}) {\n${parts
      .map((p, i) => `  m${i}: ${p.field}(input: $m${i}) { clientMutationId }`)
      .join('\n')}\n}`
    await client.graphql(query, Object.fromEntries(parts.map((p, i) => [`m${i}`, p.input])))
  }
}
