// Thread sets as bitmasks (bit t: thread t), as the schedulers and the rwsem's wait list keep them.

export function popcount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v !== 0; v &= v - 1) n++;
  return n;
}

/** the k-th set bit of mask (k from 0) */
export function nthBit(mask: number, k: number): number {
  for (let i = 0; i < 32; i++) {
    if (mask & (1 << i)) {
      if (k === 0) return i;
      k--;
    }
  }
  return -1;
}
