// `--explain`: the race in words, from the steps that touched what the violation names (its PTE,
// its frame, the flush IPIs of the CPU whose TLB it is about): who filled a TLB with which frame,
// who changed or cleared the PTE, who copied and freed the frame, which flushes reached the CPU,
// in the order the accesses ran. An access a thread stopped at (a switch followed) runs when the
// thread resumes, so it is placed there; what a write stored is what the next access of that word
// found (or the word at the end of the run).
import { FO_STATE, IPI_ACK, IPI_END, IPI_REQ, IPI_START, PG_PINCOUNT, PG_REFCOUNT, type Layout } from '../shm/layout.js';
import { _PAGE_ACCESSED, is_migration_entry, pte_frame, pte_mmu_valid, pte_pfn, pte_present, pte_protnone } from '../mm/pte.js';
import { TRACE_STRIDE, traceLabel } from '../sched/det_layout.js';
import { labelName } from '../sched/labels.js';
import type { ViolationInfo } from '../check/violation.js';
import { stoppedAt, type TraceView } from './interleaving.js';
import { refWords, regionOf } from '../shm/words.js';

interface Access {
  /** the trace row (its step) */
  step: number;
  /** where the access ran, in trace order: a stopped access just before its thread's next row */
  ran: number;
  thread: number;
  label: string;
  idx: number;
  /** the value the access found */
  found: number;
  /** the value the word held after it: what the next access of the word found, or the word at the end */
  after: number;
}

/** The words of the story: those the violation's refs name (refWords), and the flush IPIs to the
 * CPU it is about. */
function storyWords(lay: Layout, m: Int32Array, v: ViolationInfo): Set<number> {
  const refs = v.refs ?? {};
  const words = refWords(lay, m, refs).words;
  if (refs.cpu !== undefined && refs.cpu < lay.cfg.cpus) {
    for (let sender = 0; sender < lay.threads; sender++) for (const f of [IPI_REQ, IPI_ACK, IPI_START, IPI_END]) words.add(lay.ipiBox(refs.cpu, sender) + f);
  }
  return words;
}

/** The accesses of `words` before `to`, in the order they ran. */
function accessesOf(t: TraceView, m: Int32Array, words: Set<number>, to: number): Access[] {
  const out: Access[] = [];
  const row = (i: number): number => t.traceBase + i * TRACE_STRIDE;
  for (let i = 0; i < to; i++) {
    const idx = t.sched[row(i) + 2]!;
    if (!words.has(idx)) continue;
    const thread = t.sched[row(i)]!;
    let ran = i;
    if (stoppedAt(t, i)) {
      let n = i + 1;
      while (n < t.traceLen && t.sched[row(n)] !== thread) n++;
      ran = n - 0.5;
    }
    out.push({ step: i, ran, thread, label: labelName(traceLabel(t.sched[row(i) + 1]!)), idx, found: t.sched[row(i) + 3]!, after: 0 });
  }
  out.sort((a, b) => a.ran - b.ran || a.step - b.step);
  // from the end: each access's word next holds what the following access of it found
  const next = new Map<number, number>();
  for (let k = out.length - 1; k >= 0; k--) {
    const a = out[k]!;
    a.after = next.get(a.idx) ?? m[a.idx]!;
    next.set(a.idx, a.found);
  }
  return out;
}

/** Events told when the story has no TLB fill to start from. */
const LAST_EVENTS = 12;

function pteText(lay: Layout, pte: number): string {
  if (is_migration_entry(pte)) return `a migration entry for page ${pte_pfn(pte)}`;
  if (!pte_present(pte)) return pte === 0 ? 'none' : `not present (0x${(pte >>> 0).toString(16)})`;
  return `frame ${pte_frame(lay, pte)}${pte_protnone(pte) ? ' (PROT_NONE)' : ''}`;
}

/** The race in sentences, one per event, each headed by its step; the last names the violation.
 * `to`: the steps to read (the run up to the violating thread's exit). */
export function explainRace(lay: Layout, names: string[], t: TraceView, m: Int32Array, v: ViolationInfo, to: number): string[] {
  const acc = accessesOf(t, m, storyWords(lay, m, v), to);
  const name = (tid: number): string => names[tid] ?? `t${tid}`;
  const vpn = v.refs?.vpn;
  const cpu = v.refs?.cpu;
  const lines: { said: string; text: string }[] = [];
  // the same thing said again by the same thread (a CPU refilling its TLB) is said once
  const say = (a: Access, text: string): void => {
    const said = `${name(a.thread)} ${text}`;
    const at = a.ran === a.step ? `step ${a.step}` : `step ${a.step}↷`;
    if (lines[lines.length - 1]?.said !== said) lines.push({ said, text: `${at.padEnd(11)} ${said}` });
  };
  // the last fill of the violation's CPU, and what happened to the PTE after it
  let filled: Access | null = null;
  let changedAfterFill: Access | null = null;
  let acked = false;
  // the range of the request each sender last posted to the victim CPU: only one covering the
  // vpn can have flushed it
  const ranges = new Map<number, { start: number; end: number }>();
  // where the story starts: the violating CPU's last fill with the frame it is about
  let from = -1;
  for (const a of acc) {
    const r = regionOf(lay, a.idx);
    const stored = a.after;
    const fn = a.label.split(':')[0];
    switch (r.kind) {
      case 'pte':
        if (a.label.startsWith('walk:')) {
          if (!pte_mmu_valid(a.found)) break;
          say(a, `walked the page table for vpn ${vpn}: ${pteText(lay, a.found)}, now in its TLB`);
          if (a.thread === cpu) {
            if (pte_frame(lay, a.found) === v.refs?.frame) from = lines.length - 1;
            filled = a;
            changedAfterFill = null;
            acked = false;
          }
        } else if (stored !== a.found && (stored ^ a.found) !== _PAGE_ACCESSED) {
          // (the walker setting the accessed bit changes nothing a TLB may hold)
          const what = stored === 0 ? `cleared the PTE of vpn ${vpn} (it mapped ${pteText(lay, a.found)})` : `set the PTE of vpn ${vpn}: ${pteText(lay, a.found)} → ${pteText(lay, stored)}`;
          say(a, `${what} in ${fn}`);
          if (filled && !changedAfterFill && (pte_frame(lay, stored) !== pte_frame(lay, (filled as Access).found) || !pte_mmu_valid(stored))) changedAfterFill = a;
        }
        break;
      case 'frame':
        if (r.field === FO_STATE && stored !== a.found) say(a, `${stored === 0 ? 'freed' : 'allocated'} frame ${r.frame}`);
        break;
      case 'data':
        if (a.label.includes('copy')) say(a, `copied frame ${r.frame} to its new place (${a.label})`);
        else if (stored !== a.found) say(a, `wrote word ${r.word} of frame ${r.frame}: ${a.found} → ${stored} (${a.label})`);
        break;
      case 'page':
        if (r.field === PG_REFCOUNT && stored === 0 && a.found !== 0) say(a, `dropped the last reference to page ${r.page} (${a.label})`);
        if (r.field === PG_PINCOUNT && stored !== a.found) say(a, `${stored > a.found ? 'pinned' : 'unpinned'} page ${r.page} (pincount ${a.found} → ${stored})`);
        break;
      case 'ipi': {
        if (r.field === IPI_START || r.field === IPI_END) {
          if (a.thread !== r.sender) break;
          const range = ranges.get(r.sender) ?? { start: 0, end: 0 };
          ranges.set(r.sender, r.field === IPI_START ? { ...range, start: stored } : { ...range, end: stored });
          break;
        }
        // the sender writes req, the target ack; the other side only reads them (or waits on them)
        if (stored === a.found || a.thread !== (r.field === IPI_REQ ? r.sender : r.target)) break;
        const range = ranges.get(r.sender);
        const covers = vpn === undefined || (range !== undefined && range.start <= vpn && vpn < range.end);
        if (r.field === IPI_REQ) say(a, `sent cpu${r.target} a flush IPI${covers ? '' : ' (for other addresses)'}`);
        else {
          say(a, `ran the flush IPI from ${name(r.sender)}${covers ? '' : ' (for other addresses)'}`);
          if (changedAfterFill && covers) acked = true;
        }
        break;
      }
      default:
    }
  }
  // no such fill (not a TLB violation): the last events only
  const start = from >= 0 ? from : Math.max(0, lines.length - LAST_EVENTS);
  const out = lines.slice(start).map((l) => l.text);
  if (start > 0) out.unshift(`${''.padEnd(11)} (${start} earlier events on these words left out: replay shows every step)`);
  const change = changedAfterFill as Access | null;
  if (filled && change && !acked && cpu !== undefined) {
    out.push(change.thread === cpu
      ? `            cpu${cpu} changed that PTE itself at step ${change.step} and kept the old translation: no local flush followed`
      : `            no flush IPI reached cpu${cpu} after ${name(change.thread)} changed that PTE at step ${change.step}`);
  }
  out.push(`${'then'.padEnd(11)} ${v.thread}: ${v.oracle}: ${v.message}`);
  return out;
}
