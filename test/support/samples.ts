// Seeded synthetic latency samples, so distribution tests run on the same numbers every time.

/** mulberry32: a small seeded PRNG with uniform output in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** `count` log-normal samples around `medianNs` (sigma in natural-log units). */
export function logNormal(random: () => number, count: number, medianNs: number, sigma: number): number[] {
  return Array.from({length: count}, () => {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
    return medianNs * Math.exp(sigma * z)
  })
}
