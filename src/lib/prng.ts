// Seeded PRNG (xoshiro128**, 32-bit ops only): same seed, same stream, anywhere. Its four state
// words live in an Int32Array, private by default or shared: a deterministic strategy keeps
// them in shared memory so whichever thread holds the run token continues the same stream.
export class Prng {
  constructor(
    seed: number,
    stream = 0,
    private readonly s: Int32Array = new Int32Array(4),
    private readonly base = 0,
  ) {
    this.reseed(seed, stream);
  }

  /** A PRNG over state words someone else seeded. */
  static view(s: Int32Array, base: number): Prng {
    const p = Object.create(Prng.prototype) as Prng;
    Object.assign(p, { s, base });
    return p;
  }

  reseed(seed: number, stream: number): void {
    let x = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.s[this.base + i] = z ^ (z >>> 16);
    }
    if ((this.s[this.base]! | this.s[this.base + 1]! | this.s[this.base + 2]! | this.s[this.base + 3]!) === 0) this.s[this.base] = 1;
  }

  /** next 32-bit unsigned value */
  u32(): number {
    const s = this.s;
    const i = this.base;
    let a = s[i]!, b = s[i + 1]!, c = s[i + 2]!, d = s[i + 3]!;
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    s[i] = a;
    s[i + 1] = b;
    s[i + 2] = c;
    s[i + 3] = d;
    return r;
  }
  /** integer in [0, n) */
  below(n: number): number {
    return Math.floor((this.u32() / 4294967296) * n);
  }
  /** float in [0, 1) */
  float(): number {
    return this.u32() / 4294967296;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
