// Static shards of an exploration: part I of N of a seed range is a contiguous run of its seeds,
// the parts disjoint and together the whole range, so N machines (a Kubernetes Indexed Job, a CI
// matrix, a Slurm array) run exactly what one would, and `faultline merge` puts it back together.

export interface SeedRange {
  start: number;
  count: number;
}

/** Part `index` (from 0) of `of` parts of `seeds`: parts differ in size by at most one seed. */
export function shardOf(seeds: SeedRange, index: number, of: number): SeedRange {
  const lo = Math.floor((index * seeds.count) / of);
  const hi = Math.floor(((index + 1) * seeds.count) / of);
  return { start: seeds.start + lo, count: hi - lo };
}
