// Seeded randomness. Everything random in the scenario comes from here so that
// the same seed always yields byte-identical outputs.

/** sfc32: small, fast, good-quality 32-bit generator. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0) {
    this.a = mix32(seed ^ 0x9e3779b9);
    this.b = mix32(stream + 0x85ebca6b);
    this.c = mix32(seed + stream * 0x27d4eb2f + 0xc2b2ae35);
    this.d = 1;
    for (let i = 0; i < 16; i++) this.nextU32();
  }

  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  int(minInclusive: number, maxInclusive: number): number {
    return minInclusive + Math.floor(this.next() * (maxInclusive - minInclusive + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }

  /** Standard normal (Box-Muller, one value per call keeps the stream simple). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal multiplier with median 1: latencies are right-skewed. */
  lognormal(sigma: number): number {
    return Math.exp(sigma * this.normal());
  }

  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
}

/** murmur3 finaliser: a cheap 32-bit hash for deriving ids from numbers. */
export function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const HEX = "0123456789abcdef";

function hex8(x: number): string {
  let s = "";
  for (let shift = 28; shift >= 0; shift -= 4) s += HEX[(x >>> shift) & 15];
  return s;
}

/**
 * A v4-shaped UUID derived from (seed, n). Ids come from a hash rather than the
 * simulation stream so that serialising audit events never changes the metrics.
 */
export function uuidFrom(seed: number, n: number, salt = 0): string {
  const w0 = mix32(seed ^ mix32(n + 0x1234567 + salt));
  const w1 = mix32(w0 ^ (n * 0x2545f491 + salt));
  const w2 = mix32(w1 + 0x68e31da4);
  const w3 = mix32(w2 ^ w0 ^ 0xb5297a4d);
  const hex = hex8(w0) + hex8(w1) + hex8(w2) + hex8(w3);
  // Version 4 nibble and RFC 4122 variant bits.
  const variant = HEX[8 + ((w3 >>> 2) & 3)] as string;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const POD_SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** Kubernetes-style random name suffix (generateName uses this alphabet). */
export function nameSuffix(rng: Rng, length = 5): string {
  let s = "";
  for (let i = 0; i < length; i++) s += POD_SUFFIX_ALPHABET[rng.int(0, POD_SUFFIX_ALPHABET.length - 1)];
  return s;
}
