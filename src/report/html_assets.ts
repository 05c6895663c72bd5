// What the HTML report carries besides its content: the style sheet, the page script (charts,
// readable log-axis ticks, sortable tables) and Chart.js's UMD build, inlined so the page opens
// from disk with no network.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let chartJsCache: { file: string; source: string } | undefined;

/** Chart.js's UMD build from the installed package (read once). */
export function chartJsSource(): { file: string; source: string } {
  if (!chartJsCache) {
    const require = createRequire(import.meta.url);
    const dist = dirname(require.resolve('chart.js'));
    const file = ['chart.umd.js', 'chart.umd.min.js'].map((f) => join(dist, f)).find((f) => existsSync(f));
    if (!file) throw new Error(`chart.js UMD build not found in ${dist}`);
    chartJsCache = { file, source: readFileSync(file, 'utf8') };
  }
  return chartJsCache;
}

/** Script text made safe to inline: nothing in it can close the <script> element early. */
export function inlineScript(src: string): string {
  return src.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** JSON that is safe inside a <script> element (no `<`, `>` or `&` can end it or open a comment). */
export function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export const STYLE = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d232a; background: #fff; }
body { margin: 0 auto; padding: 16px 24px 48px; max-width: 1360px; }
h1 { font-size: 1.5rem; margin: 0 0 4px; }
h2 { font-size: 1.15rem; margin: 28px 0 8px; border-bottom: 1px solid #d8dde3; padding-bottom: 4px; }
h3 { font-size: 0.95rem; margin: 8px 0 4px; }
.sub, .caption, .note, .empty { color: #5b6570; font-size: 0.85rem; }
.banner { margin: 0 0 12px; padding: 10px 14px; border-radius: 4px; font-size: 1rem; border: 1px solid; }
.banner strong { font-size: 1.2rem; margin-right: 10px; letter-spacing: 0.05em; }
.banner.pass { background: #e8f5e9; border-color: #7cb342; color: #1b5e20; }
.banner.fail { background: #fdecea; border-color: #e57373; color: #8e0000; }
.banner ul { margin: 4px 0 0; padding-left: 20px; }
.command code { display: inline-block; background: #f6f8fa; border: 1px solid #e3e7eb; padding: 2px 6px; user-select: all; }
pre { background: #f6f8fa; border: 1px solid #e3e7eb; padding: 8px 10px; overflow-x: auto; font-size: 12px; line-height: 1.35; }
tr.points code { white-space: nowrap; }
table { border-collapse: collapse; font-size: 12px; }
th, td { padding: 3px 7px; border-bottom: 1px solid #eceff2; text-align: left; vertical-align: top; }
thead th { background: #f1f4f7; position: sticky; top: 0; white-space: nowrap; }
thead th .unit { font-weight: normal; color: #5b6570; }
table.sortable thead th { cursor: pointer; user-select: none; }
table.sortable thead th:hover { background: #e4e9ee; }
table.sortable thead th[aria-sort="ascending"]::after { content: " \\25B2"; font-size: 9px; }
table.sortable thead th[aria-sort="descending"]::after { content: " \\25BC"; font-size: 9px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.class-row th { font-family: ui-monospace, "DejaVu Sans Mono", monospace; white-space: nowrap; }
tr.points td { color: #5b6570; font-size: 11px; border-bottom: 1px solid #d8dde3; }
.scroll { overflow-x: auto; }
.kv th { font-weight: 600; white-space: nowrap; }
.grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 16px; }
.chart { margin: 0; border: 1px solid #e3e7eb; border-radius: 4px; padding: 6px; }
.chart-box { position: relative; height: 300px; }
.pivots { display: flex; flex-wrap: wrap; gap: 16px 24px; align-items: flex-start; }
.pivot { flex: 1 1 420px; min-width: 0; overflow-x: auto; }
.pivot-table { width: 100%; }
td.key { font-family: ui-monospace, "DejaVu Sans Mono", monospace; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 26ch; }
.error { color: #b00020; font-weight: 600; }
`;

/**
 * The page script. Tables sort on a header click (numbers by their data-v value, largest first;
 * text A→Z; a table whose rows come in groups keeps each group in its own <tbody>). Charts: long
 * category labels are cut (the tooltip shows them whole) and a log axis is labelled at 1, 10, 100 …
 * with its unit only, instead of Chart.js's 1,2,3,5 × 10^n labels.
 */
export const PAGE_SCRIPT = `(function () {
  function sortable(table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      th.tabIndex = 0;
      th.title = 'sort by ' + th.textContent;
      var go = function () { sortBy(table, heads, col); };
      th.addEventListener('click', go);
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); go(); } });
    });
  }
  function sortKey(group, col) {
    var row = group.rows ? group.rows[0] : group;
    var cell = row.cells[col];
    if (!cell) return '';
    return cell.hasAttribute('data-v') ? Number(cell.getAttribute('data-v')) : cell.textContent.trim();
  }
  function sortBy(table, heads, col) {
    var groups = Array.prototype.slice.call(table.tBodies.length > 1 ? table.tBodies : table.tBodies[0].rows);
    if (groups.length === 0) return;
    var numeric = typeof sortKey(groups[0], col) === 'number';
    var was = heads[col].getAttribute('aria-sort');
    var dir = was === 'descending' ? 1 : was === 'ascending' ? -1 : numeric ? -1 : 1;
    var keyed = groups.map(function (g, i) { return { g: g, k: sortKey(g, col), i: i }; });
    keyed.sort(function (a, b) {
      var c = typeof a.k === 'number' && typeof b.k === 'number' ? a.k - b.k : String(a.k).localeCompare(String(b.k));
      return c * dir || a.i - b.i;
    });
    keyed.forEach(function (x) { x.g.parentNode.appendChild(x.g); });
    Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
    heads[col].setAttribute('aria-sort', dir < 0 ? 'descending' : 'ascending');
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), sortable);

  var specs = JSON.parse(document.getElementById('faultline-charts').textContent);
  if (typeof Chart === 'undefined') {
    var p = document.createElement('p');
    p.className = 'error';
    p.textContent = 'Chart.js did not load; the charts are missing (the tables are complete).';
    document.body.insertBefore(p, document.body.firstChild);
    return;
  }
  function isDecade(v) {
    var e = Math.log10(v);
    return v > 0 && Math.abs(e - Math.round(e)) < 1e-9;
  }
  function decades(scale) {
    var kept = scale.ticks.filter(function (t) { return isDecade(t.value); });
    if (kept.length >= 2) scale.ticks = kept;
  }
  function decadeLabel(unit) {
    return function (v) {
      if (!isDecade(v)) return '';
      var n = Math.pow(10, Math.round(Math.log10(v))).toLocaleString('en-US', { maximumFractionDigits: 6 });
      return unit ? n + ' ' + unit : n;
    };
  }
  function shortLabel(v) {
    var s = String(this.getLabelForValue(v));
    return s.length > 18 ? s.slice(0, 17) + '\\u2026' : s;
  }
  Chart.defaults.animation = false;
  Chart.defaults.font.size = 11;
  var drawn = 0;
  specs.forEach(function (s) {
    var el = document.getElementById(s.id);
    if (!el) return;
    var scales = s.config.options.scales || {};
    Object.keys(scales).forEach(function (k) {
      var sc = scales[k];
      sc.ticks = sc.ticks || {};
      if (sc.type === 'logarithmic') {
        sc.afterBuildTicks = decades;
        sc.ticks.callback = decadeLabel((s.logUnits || {})[k] || '');
      } else if (sc.type === 'category') {
        sc.ticks.callback = shortLabel;
      }
    });
    new Chart(el, s.config);
    drawn++;
  });
  document.documentElement.setAttribute('data-charts-drawn', String(drawn));
})();`;
