// The report's tables. Every number cell carries its raw value in data-v so the page script can
// sort it; times are shown in one unit per profile (µs with two decimals, or steps), named in the header.
import type { LockstatRow, ProfileData, TimeUnit } from '../profile/types.js';
import { LOCKSTAT_COLUMNS, fmtLockTime, isTimeColumn, lockstatValue, pivotCapNote, pivotContentions, timeUnitLabel, topPoints, unitWords, type PivotBy } from './lockstat_table.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A right-aligned number cell: `shown` as text, `v` as its sort key. */
function num(v: number, shown: string): string {
  return `<td class="num" data-v="${escapeHtml(v)}">${escapeHtml(shown)}</td>`;
}

/** A header cell with its unit under the name (so the names stay the kernel's). */
function head(name: string, unit?: string): string {
  return `<th scope="col">${escapeHtml(name)}${unit ? `<br><span class="unit">${escapeHtml(unit)}</span>` : ''}</th>`;
}

/** The lockstat table: one <tbody> per row (its numbers, then its points), so sorting keeps them together. */
export function lockstatHtml(rows: LockstatRow[], unit: TimeUnit): string {
  if (rows.length === 0) return '<p class="empty">No lock activity recorded.</p>';
  const u = timeUnitLabel(unit);
  const header = `<tr>${head('class')}${LOCKSTAT_COLUMNS.map((c) => head(c, isTimeColumn(c) ? u : undefined)).join('')}</tr>`;
  const pts = (list: { label: string; count: number }[]): string => (list.length ? topPoints(list).map((p) => `<code>${escapeHtml(p.label)}</code>&nbsp;×${escapeHtml(p.count)}`).join(', ') : '—');
  const body = rows
    .map((r) => {
      const cells = LOCKSTAT_COLUMNS.map((c) => {
        const v = lockstatValue(r, c);
        return num(v, isTimeColumn(c) ? fmtLockTime(v, unit) : String(v));
      }).join('');
      const sampled = r.holdSamples < r.acquisitions ? ` <span class="note">(hold times from ${escapeHtml(r.holdSamples)} sampled acquisitions)</span>` : '';
      return (
        `<tbody><tr class="class-row"><th scope="row">${escapeHtml(r.class)}</th>${cells}</tr>` +
        `<tr class="points"><td></td><td colspan="${LOCKSTAT_COLUMNS.length}"><b>waiters at</b> ${pts(r.contentionPoints)}; <b>holders at</b> ${pts(r.holderPoints)}${sampled}</td></tr></tbody>`
      );
    })
    .join('\n');
  return `<p class="caption">Times in ${escapeHtml(unitWords(unit))}${unit === 'ns' ? ', with two decimals as /proc/lock_stat prints them' : ''}. Rows by contentions (click a header to sort); reader-writer locks have separate -R and -W rows. Under each row: its top 4 contention points (where waiters waited) and top 4 holder points (where the holder had taken the lock, one per contention, as the kernel counts them).</p>
<div class="scroll"><table id="lockstat-table" class="lockstat sortable"><thead>${header}</thead>
${body}
</table></div>`;
}

const PIVOT_TITLE: Record<PivotBy, string> = { point: 'point', cpu: 'thread', instance: 'lock instance', class: 'class' };

/** The top `top` rows of one pivot by total wait; long keys are cut, never wrapped (the title has them whole). */
export function pivotHtml(p: ProfileData, by: PivotBy, title: string, top: number): string {
  const all = pivotContentions(p.contentions, by, 'wait_total');
  const u = timeUnitLabel(p.unit);
  const t = (v: number): string => fmtLockTime(v, p.unit);
  const body = all
    .slice(0, top)
    .map((r) => `<tr><td class="key" title="${escapeHtml(r.key)}">${escapeHtml(r.key)}</td>${num(r.contended, String(r.contended))}${num(r.waitTotal, t(r.waitTotal))}${num(r.waitMax, t(r.waitMax))}${num(r.avgWait, t(r.avgWait))}</tr>`)
    .join('');
  const more = all.length > top ? `<p class="note">top ${top} of ${all.length} by total wait</p>` : '';
  return `<div class="pivot"><h3>${escapeHtml(title)}</h3><table class="pivot-table sortable" data-by="${by}"><thead><tr>${head(PIVOT_TITLE[by])}${head('contended')}${head('total wait', u)}${head('max wait', u)}${head('avg wait', u)}</tr></thead><tbody>${body}</tbody></table>${more}</div>`;
}

/** The three pivots, and the line saying so when the records behind them were capped. */
export function pivotsHtml(p: ProfileData): string {
  if (p.contentions.length === 0) return '<p class="empty">No contention recorded.</p>';
  const note = pivotCapNote(pivotContentions(p.contentions, 'class', 'contended'), p.contentionCap);
  return `<div class="pivots">${pivotHtml(p, 'point', 'By contention point', 12)}${pivotHtml(p, 'cpu', 'By thread', 12)}${pivotHtml(p, 'instance', 'By lock instance', 12)}</div>${note ? `<p class="note" id="pivot-cap">${escapeHtml(note)}</p>` : ''}`;
}

export function configHtml(config: object): string {
  const rows = Object.entries(config).map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td><code>${escapeHtml(typeof v === 'string' ? v : JSON.stringify(v))}</code></td></tr>`);
  return rows.length ? `<table class="kv">${rows.join('')}</table>` : '<p class="empty">No configuration given.</p>';
}

/** Fault latency percentiles in µs (fault latency is always wall-clock). */
export function latencyHtml(fl: NonNullable<ProfileData['faultLatency']>): string {
  const rows = ([['p50', fl.p50], ['p90', fl.p90], ['p99', fl.p99], ['p99.9', fl.p999], ['max', fl.max]] as const).map(([k, v]) => `<tr><th scope="row">${k}</th>${num(v / 1000, (v / 1000).toFixed(2))}</tr>`);
  return `<table class="kv latency"><thead><tr>${head('percentile')}${head('fault latency', 'µs')}</tr></thead><tbody><tr><th scope="row">faults</th>${num(fl.count, String(fl.count))}</tr>${rows.join('')}</tbody></table>`;
}
