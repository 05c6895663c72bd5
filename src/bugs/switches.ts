// The bug switches, as the model reads them: each reintroduces one real mistake in the model's own
// code path, read through `Bugs` (plain booleans, cheap on the hot path). What each one is (its
// origin, era, oracle, depth, scenario) is the harness's catalog (catalog.ts).

export const BUG_NAMES = ['no-tlb-flush', 'fault-without-reserve', 'free-before-flush', 'remap-bug-on-set', 'execbuf-faults-under-resv', 'fault-blocks-on-reserve',
  'nested-zap-skips-flush', 'mover-skips-page-lock', 'pte-alloc-without-lock', 'lazy-tlb-no-gen-check',
  'migrate-pinned-page', 'mprotect-no-flush-pending', 'mremap-flush-after-unlock', 'vma-check-before-lock',
  'vma-writer-skips-lock', 'prefault-past-vma-end', 'cow-pfnmap-pgoff-rule',
  'cow-set-before-flush', 'munmap-unlink-before-flush', 'no-flush-batched-pending'] as const;
export type BugName = (typeof BUG_NAMES)[number];

/** 'no-tlb-flush' → 'noTlbFlush' */
type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;

/** One boolean per switch, named after it in camel case (t.bugs.noTlbFlush). */
export type Bugs = { readonly [K in BugName as Camel<K>]: boolean };

export function makeBugs(names: readonly string[]): Bugs {
  const flags: Record<string, boolean> = {};
  // every switch gets its field, in catalog order, so every Bugs object has one shape
  for (const n of BUG_NAMES) flags[n.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())] = names.includes(n);
  return flags as Bugs;
}
