// The lock-order graph as a lockdep-style report: one "possible circular locking dependency" block
// per cycle, each edge with the point label where it was first seen and the thread that made it.
import type { LockOrderCycle, LockOrderEdge, ProfileData } from '../profile/types.js';

const MODE_WORD: Record<LockOrderEdge['fromMode'], string> = { R: 'read', W: 'write', X: 'exclusive' };

function lockName(cls: string, mode: LockOrderEdge['fromMode']): string {
  return `(${cls}){${mode}}`;
}

/** The edge chain[i] → chain[i+1] of a cycle: looked up by its ends, else taken by position. */
function cycleEdges(c: LockOrderCycle): LockOrderEdge[] {
  const out: LockOrderEdge[] = [];
  for (let i = 0; i + 1 < c.chain.length; i++) {
    const e = c.edges.find((x) => x.from === c.chain[i] && x.to === c.chain[i + 1]) ?? c.edges[i];
    if (e) out.push(e);
  }
  return out.length ? out : [...c.edges];
}

function indent(text: string, by: string): string[] {
  return text.split('\n').map((l) => (l.trim() ? by + l.replace(/\s+$/, '') : ''));
}

function formatCycle(c: LockOrderCycle, n: number, of: number): string[] {
  const edges = cycleEdges(c);
  const last = edges[edges.length - 1];
  const chain = c.chain.length ? c.chain : edges.length ? [edges[0]!.from, ...edges.map((e) => e.to)] : [];
  const out = [
    '',
    '======================================================',
    'WARNING: possible circular locking dependency detected',
    `faultline lock-order check, cycle ${n} of ${of}: ${chain.join(' --> ')}`,
    '------------------------------------------------------',
  ];
  if (last) {
    out.push(
      `${last.thread} is trying to acquire lock:`,
      `  ${lockName(last.to, last.toMode)}, at: ${last.label}`,
      '',
      'but task is already holding lock:',
      `  ${lockName(last.from, last.fromMode)}`,
      '',
      'which lock already depends on the new lock.',
      '',
      '',
      'the existing dependency chain (in reverse order) is:',
    );
    // Numbered down to #0, the new (closing) edge, as lockdep numbers them.
    for (let k = 0; k < edges.length; k++) {
      const e = edges[k]!;
      out.push(
        '',
        `-> #${edges.length - 1 - k} ${lockName(e.to, e.toMode)}:`,
        `       ${e.label}`,
        `       taken by ${e.thread} while holding ${lockName(e.from, e.fromMode)} (${MODE_WORD[e.fromMode]} → ${MODE_WORD[e.toMode]}), seen ${e.count} time${e.count === 1 ? '' : 's'}`,
      );
    }
  }
  out.push('', 'other info that might help us debug this:', '', ' Chain exists of:', `   ${chain.join(' --> ')}`, '');
  if (c.scenario.trim()) out.push(...indent(c.scenario, ''));
  if (!/DEADLOCK/.test(c.scenario)) out.push('', ' *** DEADLOCK ***');
  return out;
}

/**
 * A lockdep-style report of the lock-order graph: a "possible circular locking dependency" block
 * per cycle (the chain, each edge's point label and thread, the unsafe scenario), or one line
 * saying how many dependency edges were checked when there is no cycle.
 */
export function formatLockOrder(lo: ProfileData['lockOrder']): string {
  const classes = new Set<string>();
  for (const e of lo.edges) classes.add(e.from).add(e.to);
  const checked = `${lo.edges.length} dependency edge${lo.edges.length === 1 ? '' : 's'} between ${classes.size} lock class${classes.size === 1 ? '' : 'es'}`;
  if (lo.cycles.length === 0) return `lock order: no circular locking dependency (checked ${checked})`;
  const out = [`lock order: ${lo.cycles.length} possible circular locking dependenc${lo.cycles.length === 1 ? 'y' : 'ies'} (checked ${checked})`];
  lo.cycles.forEach((c, i) => out.push(...formatCycle(c, i + 1, lo.cycles.length)));
  return out.join('\n');
}
