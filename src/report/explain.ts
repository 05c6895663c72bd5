// `--explain`: the race in words, from the steps that touched what the violation names (its PTE,
// its frame, the flush IPIs of the CPU whose TLB it is about): who filled a TLB with which frame,
// who changed or cleared the PTE, who copied and freed the frame, which flushes reached the CPU,
// in the order the accesses ran. An access a thread stopped at (a switch followed) runs when the
// thread resumes, so it is placed there; what a write stored is what the next access of that word
// found (or the word at the end of the run).
import { FO_STATE, IPI_ACK, IPI_REQ, PG_PINCOUNT, PG_REFCOUNT, type Layout } from '../shm/layout.js';
import { pte_frame, pte_mmu_valid, pte_present, pte_protnone } from '../mm/pte.js';
import { TRACE_STRIDE, traceLabel, traceWait } from '../sched/det_layout.js';
import { labelName } from '../sched/labels.js';
import type { ViolationInfo } from '../check/violation.js';
import type { TraceView } from './interleaving.js';
import { pteWordOf } from '../shm/words.js';

/** What a word of the race is to the story. */
type Role =
  | { kind: 'pte' }
  | { kind: 'state'; frame: number }
  | { kind: 'data'; frame: number; w: number }
  | { kind: 'count'; page: number; field: 'refcount' | 'pincount' }
  | { kind: 'ipi'; target: number; sender: number; field: 'req' | 'ack' };

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
}

/** The roles of the words a violation's refs name, as the run left `m`. */
function rolesOf(lay: Layout, m: Int32Array, v: ViolationInfo): Map<number, Role> {
  const cfg = lay.cfg;
  const roles = new Map<number, Role>();
  const refs = v.refs ?? {};
  if (refs.vpn !== undefined && refs.mm !== undefined) {
    const pte = pteWordOf(lay, m, refs.mm, refs.vpn);
    if (pte !== null) roles.set(pte, { kind: 'pte' });
  }
  if (refs.frame !== undefined) {
    const frame = refs.frame;
    roles.set(lay.fo(frame, FO_STATE), { kind: 'state', frame });
    for (let w = 0; w < cfg.wordsPerPage; w++) roles.set(lay.word(frame, w), { kind: 'data', frame, w });
    if (frame < lay.sysFrames) {
      roles.set(lay.page(frame, PG_REFCOUNT), { kind: 'count', page: frame, field: 'refcount' });
      roles.set(lay.page(frame, PG_PINCOUNT), { kind: 'count', page: frame, field: 'pincount' });
    }
  }
  if (refs.cpu !== undefined && refs.cpu < cfg.cpus) {
    for (let sender = 0; sender < lay.threads; sender++) {
      const box = lay.ipiBox(refs.cpu, sender);
      roles.set(box + IPI_REQ, { kind: 'ipi', target: refs.cpu, sender, field: 'req' });
      roles.set(box + IPI_ACK, { kind: 'ipi', target: refs.cpu, sender, field: 'ack' });
    }
  }
  return roles;
}

/** The accesses of `roles`' words before `to`, in the order they ran. */
function accessesOf(t: TraceView, roles: Map<number, Role>, to: number): Access[] {
  const out: Access[] = [];
  const row = (i: number): number => t.traceBase + i * TRACE_STRIDE;
  for (let i = 0; i < to; i++) {
    const idx = t.sched[row(i) + 2]!;
    if (!roles.has(idx)) continue;
    const thread = t.sched[row(i)]!;
    let ran = i;
    if (!traceWait(t.sched[row(i) + 1]!) && i + 1 < t.traceLen && t.sched[row(i + 1)] !== thread) {
      let n = i + 1;
      while (n < t.traceLen && t.sched[row(n)] !== thread) n++;
      ran = n - 0.5;
    }
    out.push({ step: i, ran, thread, label: labelName(traceLabel(t.sched[row(i) + 1]!)), idx, found: t.sched[row(i) + 3]! });
  }
  return out.sort((a, b) => a.ran - b.ran || a.step - b.step);
}

/** Events told when the story has no TLB fill to start from. */
const LAST_EVENTS = 12;

function pteText(lay: Layout, pte: number): string {
  if (!pte_present(pte)) return pte === 0 ? 'none' : `not present (0x${(pte >>> 0).toString(16)})`;
  return `frame ${pte_frame(lay, pte)}${pte_protnone(pte) ? ' (PROT_NONE)' : ''}`;
}

/** The race in sentences, one per event, each headed by its step; the last names the violation.
 * `to`: the steps to read (the run up to the violating thread's exit). */
export function explainRace(lay: Layout, names: string[], t: TraceView, m: Int32Array, v: ViolationInfo, to: number): string[] {
  const roles = rolesOf(lay, m, v);
  const acc = accessesOf(t, roles, to);
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
  // where the story starts: the violating CPU's last fill with the frame it is about
  let from = -1;
  acc.forEach((a, k) => {
    const role = roles.get(a.idx)!;
    const next = acc.slice(k + 1).find((b) => b.idx === a.idx);
    const stored = next ? next.found : m[a.idx]!;
    const fn = a.label.split(':')[0];
    switch (role.kind) {
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
        } else if (stored !== a.found) {
          const what = !pte_present(stored) ? `cleared the PTE of vpn ${vpn} (it mapped ${pteText(lay, a.found)})` : `set the PTE of vpn ${vpn}: ${pteText(lay, a.found)} → ${pteText(lay, stored)}`;
          say(a, `${what} in ${fn}`);
          if (filled && !changedAfterFill && (pte_frame(lay, stored) !== pte_frame(lay, (filled as Access).found) || !pte_mmu_valid(stored))) changedAfterFill = a;
        }
        break;
      case 'state':
        if (stored !== a.found) say(a, `${stored === 0 ? 'freed' : 'allocated'} frame ${role.frame}`);
        break;
      case 'data':
        if (a.label.includes('copy')) say(a, `copied frame ${role.frame} to its new place (${a.label})`);
        else if (stored !== a.found) say(a, `wrote word ${role.w} of frame ${role.frame}: ${a.found} → ${stored} (${a.label})`);
        break;
      case 'count':
        if (role.field === 'refcount' && stored === 0 && a.found !== 0) say(a, `dropped the last reference to page ${role.page} (${a.label})`);
        if (role.field === 'pincount' && stored !== a.found) say(a, `${stored > a.found ? 'pinned' : 'unpinned'} page ${role.page} (pincount ${a.found} → ${stored})`);
        break;
      case 'ipi':
        // the sender writes req, the target ack; the other side only reads them (or waits on them)
        if (stored === a.found || a.thread !== (role.field === 'req' ? role.sender : role.target)) break;
        if (role.field === 'req') say(a, `sent cpu${role.target} a flush IPI`);
        else {
          say(a, `ran the flush IPI from ${name(role.sender)}`);
          if (changedAfterFill) acked = true;
        }
        break;
    }
  });
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
