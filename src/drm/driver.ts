// The driver behind the buffer objects' VMAs (--driver): its fault handler (vm_operations.fault)
// and how it moves an object between placements. Core mm calls the one, the migrator the other.
// Three ship: TTM as it mapped objects until 5.14 (VM_MIXEDMAP, the default: where most catalog
// races live), TTM since (VM_PFNMAP), and the 2006 proposal's; a module written against the
// kernel API (faultline/kernel) is another (--driver FILE).
import { DRIVERS, type DriverChoice, type DriverName } from '../config.js';
import type { Task } from '../kernel/task.js';
import type { VmFault, VmOperations } from '../mm/vm_fault.js';
import { ModuleCache, UserModuleError } from '../lib/module_ref.js';
import { ttm_bo_mmap_mixedmap, ttm_bo_mmap_pfnmap, ttm_bo_vm_ops, ttm_bo_vm_ops_pfnmap } from './ttm_vm.js';
import { bo_migrate_page } from './bo_migrate.js';
import { ttm_bo_move } from './ttm_move.js';
import { bo2006_move, bo2006_vm_ops } from './bo2006.js';

interface Driver {
  vmOps: VmOperations;
  /** moves the object to its other placement; false if it could not (no room, a page in use) */
  move(t: Task, obj: number): boolean;
  /** mm's migration of one system page of the object, with the driver's part around it; absent
   * where mm never migrates the object's pages (VM_PFNMAP: not on the LRU) */
  migratePage?(t: Task, obj: number, p: number): boolean;
}

const DRIVER_TABLE: Record<DriverName, Driver> = {
  ttm: { vmOps: ttm_bo_vm_ops, move: (t, obj) => ttm_bo_move(t, obj), migratePage: bo_migrate_page },
  'ttm-pfnmap': { vmOps: ttm_bo_vm_ops_pfnmap, move: (t, obj) => ttm_bo_move(t, obj) },
  '2006': { vmOps: bo2006_vm_ops, move: bo2006_move, migratePage: bo_migrate_page },
};

/** What a driver module exports (defineDriver): the fault handler and the move. */
export interface DriverDef {
  /** vm_operations.fault: returns VM_FAULT_* (NOPAGE once it installed the PTEs itself,
   * LOCKED with vmf.page set for the core to install, RETRY after dropping the fault lock) */
  fault(t: Task, vmf: VmFault): number;
  /** moves `obj` to its other placement: reserve, unmap_mapping_range, copy, free; false if it gave up */
  move(t: Task, obj: number): boolean;
  /** map as TTM does since 5.14 (VM_PFNMAP | VM_IO, COW mappings refused, no page migration by
   * mm); default: VM_MIXEDMAP, as TTM did before */
  pfnmap?: boolean;
}

export class DriverModuleError extends UserModuleError {}

export function defineDriver(def: DriverDef): DriverDef {
  if (typeof def !== 'object' || def === null) throw new DriverModuleError('defineDriver: expects an object { fault, move }');
  for (const k of Object.keys(def)) if (k !== 'fault' && k !== 'move' && k !== 'pfnmap') throw new DriverModuleError(`defineDriver: unknown key '${k}' (known: fault, move, pfnmap)`);
  if (typeof def.fault !== 'function') throw new DriverModuleError('defineDriver: fault must be a function (t, vmf) => VM_FAULT_*');
  if (typeof def.move !== 'function') throw new DriverModuleError('defineDriver: move must be a function (t, obj) => boolean');
  if (def.pfnmap !== undefined && typeof def.pfnmap !== 'boolean') throw new DriverModuleError('defineDriver: pfnmap must be true or false');
  return Object.freeze({ fault: def.fault, move: def.move, pfnmap: def.pfnmap === true });
}

const modules = new ModuleCache<Driver>('driver', (exported, ref) => {
  try {
    const def = defineDriver(exported as DriverDef);
    const mmap = def.pfnmap ? ttm_bo_mmap_pfnmap : ttm_bo_mmap_mixedmap;
    return { vmOps: { fault: def.fault, mmap }, move: def.move, ...(def.pfnmap ? {} : { migratePage: bo_migrate_page }) };
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
