// Writes the HTML report of a profile to a directory.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ProfileData } from '../profile/types.js';
import { renderHtmlReport, type HtmlReportMeta } from './html.js';

/** Writes `dir/index.html` (creating `dir` and its parents) and returns the file's absolute path. */
export function writeReport(dir: string, p: ProfileData, meta: HtmlReportMeta): { html: string } {
  const abs = resolve(dir);
  mkdirSync(abs, { recursive: true });
  const html = join(abs, 'index.html');
  writeFileSync(html, renderHtmlReport(p, meta));
  return { html };
}
