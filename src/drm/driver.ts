// The driver behind the buffer objects' VMAs (--driver): its fault handler (vm_operations.fault)
// and how it moves an object between placements. Core mm calls the one, the migrator the other.
// Two ship (TTM's and the 2006 proposal's); a module written against the kernel API
// (faultline/kernel) is a third (--driver FILE).
import { DRIVERS, type DriverChoice, type DriverName } from '../config.js';
import type { Task } from '../kernel/task.js';
import type { VmFault, VmOperations } from '../mm/vm_fault.js';
import { ModuleCache, UserModuleError } from '../lib/module_ref.js';
import { ttm_bo_vm_ops } from './ttm_vm.js';
import { ttm_bo_move } from './ttm_move.js';
import { bo2006_move, bo2006_vm_ops } from './bo2006.js';

interface Driver {
  vmOps: VmOperations;
  /** moves the object to its other placement; false if it could not (no room, a page in use) */
  move(t: Task, obj: number): boolean;
}

const DRIVER_TABLE: Record<DriverName, Driver> = {
  ttm: { vmOps: ttm_bo_vm_ops, move: (t, obj) => ttm_bo_move(t, obj) },
  '2006': { vmOps: bo2006_vm_ops, move: bo2006_move },
};

/** What a driver module exports (defineDriver): the fault handler and the move. */
export interface DriverDef {
  /** vm_operations.fault: returns VM_FAULT_* (NOPAGE once it installed the PTEs itself,
   * LOCKED with vmf.page set for the core to install, RETRY after dropping the fault lock) */
  fault(t: Task, vmf: VmFault): number;
  /** moves `obj` to its other placement: reserve, unmap_mapping_range, copy, free; false if it gave up */
  move(t: Task, obj: number): boolean;
}

export class DriverModuleError extends UserModuleError {}

export function defineDriver(def: DriverDef): DriverDef {
  if (typeof def !== 'object' || def === null) throw new DriverModuleError('defineDriver: expects an object { fault, move }');
  for (const k of Object.keys(def)) if (k !== 'fault' && k !== 'move') throw new DriverModuleError(`defineDriver: unknown key '${k}' (known: fault, move)`);
  if (typeof def.fault !== 'function') throw new DriverModuleError('defineDriver: fault must be a function (t, vmf) => VM_FAULT_*');
  if (typeof def.move !== 'function') throw new DriverModuleError('defineDriver: move must be a function (t, obj) => boolean');
  return Object.freeze({ fault: def.fault, move: def.move });
}

const modules = new ModuleCache<Driver>('driver', (exported, ref) => {
  try {
    const def = defineDriver(exported as DriverDef);
    return { vmOps: { fault: def.fault }, move: def.move };
  } catch (e) {
    throw new DriverModuleError(`driver ${ref}: ${(e as Error).message}`);
  }
});

/** Imports the driver module of `ref` in this thread (again if the file changed). */
export async function loadDriver(ref: string): Promise<void> {
  await modules.load(ref);
}

/** The driver a config names: built in, or a module loaded in this thread before. */
export function driverOf(name: DriverChoice): Driver {
  if ((DRIVERS as readonly string[]).includes(name)) return DRIVER_TABLE[name as DriverName];
  return modules.get(name);
}
