// End-of-run oracles over the quiescent machine: every frame is free, backs exactly one object
// page or is one process's private copy; struct page counts agree with the page tables
// (refcount = 1 (the object's) + mapcount + pins, mapcount = the number of normal PTEs that point
// at it); no PTE points at a frame that is neither the backing of the page its address belongs
// to nor its own copy; no lock is still held.
import type { Config } from '../config.js';
import {
  AL_STACK, AL_TOP, FO_STATE, LK_STRIDE, Layout, MM_MMAP_SEM, MM_PGD, PG_ANON, PG_LOCKED, PG_MAPCOUNT, PG_PINCOUNT, PG_REFCOUNT,
  POOL_PTE, POOL_SYSTEM, POOL_VRAM, RW_COUNT, RW_OWNER, BO_RESV,
} from '../shm/layout.js';
import { backingFrame } from '../shm/words.js';
import { is_migration_entry, pte_frame, pte_pfn, pte_present, pte_special } from '../mm/pte.js';
import type { ViolationInfo } from './violation.js';
import type { OracleName } from './oracles.js';

export function check_conservation(cfg: Config, m: Int32Array): ViolationInfo[] {
  const lay = new Layout(cfg);
  const out: ViolationInfo[] = [];
  const bad = (oracle: OracleName, message: string): void => {
    if (out.length < 20) out.push({ oracle, message, cpu: -1, thread: 'final-check', step: 0 });
  };

  const owners = new Int32Array(lay.frames);
  for (let obj = 0; obj < cfg.objects; obj++) {
    for (let p = 0; p < cfg.pages; p++) owners[backingFrame(lay, m, obj, p)]++;
  }
  // a private (COW) copy belongs to the process that made it
  const anon = (f: number): boolean => f < lay.sysFrames && m[lay.page(f, PG_ANON)] !== 0;
  for (let f = 0; f < lay.sysFrames; f++) if (anon(f)) owners[f]++;
  const free = new Int32Array(lay.frames);
  for (const pool of [POOL_SYSTEM, POOL_VRAM]) {
    const base = lay.alloc[pool] as number;
    for (let i = 0; i < (m[base + AL_TOP] as number); i++) free[lay.frame(pool, m[base + AL_STACK + i] as number)]++;
  }
  const maps = new Int32Array(lay.sysFrames);
  for (let mm = 0; mm < cfg.processes; mm++) {
    for (let e = 0; e < lay.pgdEntries; e++) {
      const pp = (m[lay.mmw(mm, MM_PGD + e)] as number) - 1;
      if (pp < 0) continue;
      for (let i = 0; i < cfg.ptrsPerPte; i++) {
        const pte = m[lay.pte(pp, i)] as number;
        const vpn = e * cfg.ptrsPerPte + i;
        if (is_migration_entry(pte)) bad('stale-pte', `mm ${mm} vpn ${vpn} still holds a migration entry for system page ${pte_pfn(pte)}`);
        if (!pte_present(pte)) continue;
        // a window of the address space belongs to one object, at its home or its mremap address
        const obj = Math.floor(vpn / cfg.pages) % cfg.objects;
        const page = vpn % cfg.pages;
        const frame = pte_frame(lay, pte);
        const backing = backingFrame(lay, m, obj, page);
        const own = anon(frame) && m[lay.page(frame, PG_ANON)] === lay.anonId(mm, obj, page);
        if (frame !== backing && !own) bad('stale-pte', `mm ${mm} vpn ${vpn} maps frame ${frame}, object ${obj} page ${page} lives in ${backing}`);
        if (!pte_special(pte)) maps[pte_pfn(pte)]++;
      }
    }
  }
  for (let f = 0; f < lay.frames; f++) {
    const state = m[lay.fo(f, FO_STATE)] as number;
    if (owners[f]! + free[f]! !== 1) bad('frame-leak', `frame ${f}: ${owners[f]} object owners, ${free[f]} times on the free list`);
    if ((state === 1) !== (owners[f] === 1)) bad('frame-leak', `frame ${f}: allocator state ${state} but ${owners[f]} owners`);
  }
  for (let s = 0; s < lay.sysFrames; s++) {
    if (owners[s] !== 1) continue;
    const ref = m[lay.page(s, PG_REFCOUNT)] as number;
    const mapcount = m[lay.page(s, PG_MAPCOUNT)] as number;
    if (mapcount !== maps[s]) bad('page-count', `system page ${s}: mapcount ${mapcount}, mapped by ${maps[s]} PTEs`);
    // an object page holds the object's reference besides its mappings and pins
    const base = anon(s) ? 0 : 1;
    if (ref !== base + mapcount + (m[lay.page(s, PG_PINCOUNT)] as number)) bad('page-count', `system page ${s}: refcount ${ref}, mapcount ${mapcount}`);
    if (m[lay.page(s, PG_LOCKED)] !== 0) bad('lock-state', `system page ${s} still locked by tid ${(m[lay.page(s, PG_LOCKED)] as number) - 1}`);
  }
  for (let mm = 0; mm < cfg.processes; mm++) {
    const sem = lay.mmw(mm, MM_MMAP_SEM);
    if (m[sem + RW_COUNT] !== 0 || m[sem + RW_OWNER] !== 0) bad('lock-state', `mm ${mm} mmap_sem still held (count 0x${(m[sem + RW_COUNT] as number).toString(16)})`);
  }
  for (let obj = 0; obj < cfg.objects; obj++) {
    if (m[lay.bow(obj, BO_RESV)] !== 0) bad('lock-state', `object ${obj} still reserved by tid ${(m[lay.bow(obj, BO_RESV)] as number) - 1}`);
  }
  for (let pp = 0; pp < lay.ptePages; pp++) {
    if (m[lay.ptl + pp * LK_STRIDE] !== 0) bad('lock-state', `PTE page ${pp} PTL still held`);
  }
  // PTE pages: each one free or hooked into exactly one pgd entry
  const ptePool = lay.alloc[POOL_PTE] as number;
  const tables = new Int32Array(lay.ptePages);
  for (let i = 0; i < (m[ptePool + AL_TOP] as number); i++) tables[m[ptePool + AL_STACK + i] as number]++;
  for (let mm = 0; mm < cfg.processes; mm++) {
    for (let e = 0; e < lay.pgdEntries; e++) {
      const pp = (m[lay.mmw(mm, MM_PGD + e)] as number) - 1;
      if (pp >= 0) tables[pp]++;
    }
  }
  tables.forEach((n, pp) => {
    if (n !== 1) bad('frame-leak', `PTE page ${pp} is ${n === 0 ? 'neither free nor in any page table (leaked)' : `referenced ${n} times`}`);
  });
  return out;
}
