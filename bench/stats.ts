// Small helpers for the bench: spread summaries and table formatting.

export interface Spread {
  n: number;
  min: number;
  median: number;
  max: number;
}

/** min / median / max of repeated measurements (the VM is noisy: report the spread, not a mean). */
export function spread(xs: readonly number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  return { n: s.length, min: s[0] as number, median, max: s[s.length - 1] as number };
}

/** 1234567 → "1.23M", 45678 → "45.7k". */
export function si(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  if (a >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (a >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (a >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return a >= 100 || Number.isInteger(n) ? n.toFixed(0) : n.toFixed(2);
}

/** A spread as "min / median / max" with a formatter. */
export function fmtSpread(s: Spread, f: (n: number) => string = si): string {
  return `${f(s.min)} / ${f(s.median)} / ${f(s.max)}`;
}

/** Left-aligned first column, right-aligned others. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
