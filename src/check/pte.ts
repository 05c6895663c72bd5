// PTE oracle: set_pte_at over a present PTE is a BUG (only a zap or a protection change may
// replace a present entry, and they clear it first).
import type { Task } from '../kernel/task.js';
import { violation } from './violation.js';
import { pte_frame } from '../mm/pte.js';

export function check_set_pte(t: Task, old: number, vpn: number, mm: number): void {
  if (old !== 0) pte_overwrite(t, old, vpn, mm);
}

/** The report, out of line: the check runs on every PTE install. */
function pte_overwrite(t: Task, old: number, vpn: number, mm: number): never {
  violation(t, 'pte-overwrite', `set_pte_at over present PTE 0x${(old >>> 0).toString(16)} at vpn ${vpn} in mm ${mm}`, { addr: vpn, refs: { mm, vpn, frame: pte_frame(t.lay, old) } });
}
