// The built-in machine as a deterministic program: CPUs run their workload, migrators their
// moves (paced by the CPUs' progress), and a quiet machine must conserve every frame and page.
import type { Config } from '../config.js';
import { Layout } from '../shm/layout.js';
import type { Task } from '../kernel/task.js';
import { check_conservation } from '../check/conservation.js';
import { bootInto } from './boot.js';
import { makeTask, runCpu, runMigrator } from './roles.js';
import { explainStuck } from './waitfor.js';
import { threadName } from './lockdump.js';
import { describeWord, refWords } from '../shm/words.js';
import { machineLockNaming } from '../profile/lock_class.js';
import { explainRace } from '../report/explain.js';
import type { Program } from './program.js';

export function machineProgram(cfg: Config, moves: number): Program<Task> {
  const at = (seed: number): Config => ({ ...cfg, seed });
  let lay: Layout | null = null;
  const layout = (): Layout => (lay ??= new Layout(cfg));
  return {
    threads: cfg.cpus + cfg.migrators,
    // asked for once per group, while the program is made for every run's reset
    get words() {
      return layout().words;
    },
    get lines() {
      return layout();
    },
    get locks() {
      return machineLockNaming(cfg);
    },
    boot: (m, seed) => bootInto(at(seed), m),
    thread: (m, tid, sched, seed) => makeTask(at(seed), m, tid, sched),
    run: (t) => (t.isCpu ? runCpu(t, t.cfg.ops, null, true) : runMigrator(t, 0, moves, true)),
    finalCheck: (m, seed) => check_conservation(at(seed), m)[0] ?? null,
    threadName: (tid) => threadName(cfg, tid),
    describeWord: (idx) => describeWord(layout(), idx),
    showValue: (idx, v) => (idx >= layout().ptes && idx < layout().ptes + layout().ptePages * cfg.ptrsPerPte ? `0x${(v >>> 0).toString(16)}` : String(v)),
    explainStuck: (m, oracle, sched) => explainStuck(cfg, m, oracle, sched),
    refWords: (m, refs) => refWords(layout(), m, refs),
    explain: (m, trace, v, to) => explainRace(layout(), Array.from({ length: cfg.cpus + cfg.migrators }, (_, t) => threadName(cfg, t)), trace, m, v, to),
  };
}
