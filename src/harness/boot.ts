// Boots a machine: allocates the SharedArrayBuffer, seeds the frame allocators, creates the
// objects (alternating VRAM / system placement) and maps every object into every process using
// the model's own allocator and mmap code (publishing each address in the process's user
// memory), then loads an mm on each CPU.
import type { Config } from '../config.js';
import {
  AL_STACK, AL_TOP, BO_NPAGES, STAT_STRIDE, BO_PLACEMENT, Layout, MM_CPUMASK, PG_OWNER, PL_SYSTEM, PL_VRAM,
  POOL_SYSTEM, POOL_VRAM, TH_CUR_MM,
} from '../shm/layout.js';
import { Task } from '../kernel/task.js';
import { FreeScheduler } from '../sched/free.js';
import { alloc_frame } from '../mm/frames.js';
import { do_mmap } from '../mm/mmap.js';
import { driverOf } from '../drm/driver.js';

export function boot(cfg: Config): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(new Layout(cfg).words * 4);
  bootInto(cfg, new Int32Array(sab));
  return sab;
}

/** Boots into an existing machine buffer (deterministic groups reuse theirs run after run). */
export function bootInto(cfg: Config, m: Int32Array): void {
  const lay = new Layout(cfg);
  m.fill(0);
  const pools = [lay.sysFrames, lay.vramFrames, lay.ptePages];
  pools.forEach((n, pool) => {
    const base = lay.alloc[pool] as number;
    for (let i = 0; i < n; i++) m[base + AL_STACK + i] = n - 1 - i;
    m[base + AL_TOP] = n;
  });
  for (let tid = 0; tid < lay.threads; tid++) m[lay.th(tid, TH_CUR_MM)] = -1;

  const t = new Task(cfg, m, 0, new FreeScheduler(m, lay, 0), driverOf(cfg.driver).vmOps);
  for (let obj = 0; obj < cfg.objects; obj++) {
    const vram = cfg.placement === 'vram' || (cfg.placement === 'mixed' && obj % 2 === 1);
    m[lay.bow(obj, BO_NPAGES)] = cfg.pages;
    m[lay.bow(obj, BO_PLACEMENT)] = vram ? PL_VRAM : PL_SYSTEM;
    for (let p = 0; p < cfg.pages; p++) {
      const f = alloc_frame(t, vram ? POOL_VRAM : POOL_SYSTEM);
      m[lay.backing(obj, p)] = f;
      if (!vram) m[lay.page(f, PG_OWNER)] = ((obj << 16) | p) + 1;
    }
  }
  for (let mm = 0; mm < cfg.processes; mm++) {
    for (let obj = 0; obj < cfg.objects; obj++) m[lay.userPtr(mm, obj)] = do_mmap(t, mm, obj) + 1;
  }
  for (let cpu = 0; cpu < cfg.cpus; cpu++) {
    const mm = cpu % cfg.processes;
    m[lay.th(cpu, TH_CUR_MM)] = mm;
    m[lay.mmw(mm, MM_CPUMASK)] = (m[lay.mmw(mm, MM_CPUMASK)] as number) | (1 << cpu);
  }
  m.fill(0, lay.stats, lay.stats + lay.threads * STAT_STRIDE);
}
