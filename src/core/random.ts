/**
 * A small seeded PRNG, so that choices that look random (suggested approvers, reviewers, injected
 * faults) are the
 * same on every run for one PR and differ across PRs — Prow seeds Go's math/rand with the PR
 * number for the same reason. The sequence differs from Go's, so Shepherd's picks differ from Prow's.
 */

/** Returns a generator of floats in [0, 1) determined by `seed` (mulberry32 over a splitmix-style scramble of the seed). */
export function seededRandom(seed: number): () => number {
  let h = Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  let state = (h ^ (h >>> 16)) >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Returns a shuffled copy of `items` (Fisher–Yates); the same items and generator state give the same order. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}
