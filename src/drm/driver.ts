// The driver behind the buffer objects' VMAs (--driver): its fault handler (vm_operations.fault)
// and how it moves an object between placements. Core mm calls the one, the migrator the other.
import type { DriverName } from '../config.js';
import type { Task } from '../kernel/task.js';
import type { VmOperations } from '../mm/vm_fault.js';
import { ttm_bo_vm_ops } from './ttm_vm.js';
import { ttm_bo_move } from './ttm_move.js';
import { bo2006_move, bo2006_vm_ops } from './bo2006.js';

interface Driver {
  vmOps: VmOperations;
  /** moves the object to its other placement; false if it could not (no room, a page in use) */
  move(t: Task, obj: number): boolean;
}

export const DRIVER_TABLE: Record<DriverName, Driver> = {
  ttm: { vmOps: ttm_bo_vm_ops, move: (t, obj) => ttm_bo_move(t, obj) },
  '2006': { vmOps: bo2006_vm_ops, move: bo2006_move },
};
