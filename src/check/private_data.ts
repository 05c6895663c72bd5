// Data oracles for private (COW) copies, per process: the owner CPU of a word reads back its last
// token from the copy it wrote (no lost write), and another CPU never sees a word of one copy go
// backwards (no stale read). A copy lives from the COW that made it until its frame is freed
// (frame generation); once its PTE is gone (mapcount 0) the process has given it up: a zap of a
// private copy discards the writes to it, and the next access copies the object page again.
// So a change of copy is a lost write only while the copy written to is still mapped.
import type { Task } from '../kernel/task.js';
import { FO_GEN, PG_ANON, PG_MAPCOUNT } from '../shm/layout.js';
import { violation } from './violation.js';

export class PrivateDataOracle {
  /** per (process, word): the owner's last token, or the largest value another CPU has seen */
  private readonly value: Int32Array;
  /** the copy that value was written to or seen in: its frame (-1: none yet) and generation */
  private readonly frame: Int32Array;
  private readonly gen: Int32Array;
  private readonly words: number;

  constructor(
    private readonly t: Task,
    /** the CPU's token counter, shared with its object data so tokens increase across both */
    private readonly nextToken: () => number,
  ) {
    const c = t.cfg;
    this.words = c.objects * c.pages * c.wordsPerPage;
    this.value = new Int32Array(c.processes * this.words);
    this.frame = new Int32Array(this.value.length).fill(-1);
    this.gen = new Int32Array(this.value.length);
  }

  /** The token the owner (or its device) writes next to word g of mm's copy in `frame`. */
  write(mm: number, g: number, frame: number, gen: number): number {
    const i = mm * this.words + g;
    this.frame[i] = frame;
    this.gen[i] = gen;
    return (this.value[i] = this.nextToken());
  }

  /** A load of word g from mm's copy in `frame` (filled at generation `gen`) returned v. */
  checkLoad(mm: number, g: number, v: number, frame: number, gen: number, vpn: number): void {
    const t = this.t;
    const i = mm * this.words + g;
    const same = this.frame[i] === frame && this.gen[i] === gen;
    if (g % t.cfg.cpus === t.tid) {
      if (same ? v !== this.value[i] : this.frame[i] >= 0 && this.stillMapped(mm, g, i)) this.lostWrite(mm, g, v, frame, i, vpn);
      return;
    }
    if (same && v < (this.value[i] as number)) this.staleRead(mm, g, v, frame, i, vpn);
    this.frame[i] = frame;
    this.gen[i] = gen;
    this.value[i] = v;
  }

  /** The copy last written for word i is not freed, is still this process's copy of the page
   * and still mapped by its PTE. */
  private stillMapped(mm: number, g: number, i: number): boolean {
    const { a, lay, cfg } = this.t;
    const f = this.frame[i] as number;
    const words = cfg.pages * cfg.wordsPerPage;
    const id = lay.anonId(mm, Math.floor(g / words), Math.floor((g % words) / cfg.wordsPerPage));
    return a.peek(lay.fo(f, FO_GEN)) === this.gen[i] && a.peek(lay.page(f, PG_ANON)) === id && a.peek(lay.page(f, PG_MAPCOUNT)) > 0;
  }

  private lostWrite(mm: number, g: number, v: number, frame: number, i: number, vpn: number): never {
    const where = this.frame[i] === frame ? `its copy in frame ${frame}` : `frame ${frame}, while its copy in frame ${this.frame[i]} is still mapped`;
    violation(this.t, 'lost-write', `read back ${v} from own word ${g} of mm ${mm}'s private copy (${where}), last wrote ${this.value[i]}`, { addr: vpn });
  }

  private staleRead(mm: number, g: number, v: number, frame: number, i: number, vpn: number): never {
    violation(this.t, 'stale-read', `word ${g} of mm ${mm}'s private copy in frame ${frame} (owner cpu${g % this.t.cfg.cpus}) went back from ${this.value[i]} to ${v}`, { addr: vpn });
  }

  /** At the end, on a quiet machine: every copy this CPU wrote that is still mapped holds its
   * last token. */
  checkFinal(): void {
    const { a, lay, cfg } = this.t;
    for (let i = 0; i < this.value.length; i++) {
      const mm = Math.floor(i / this.words);
      const g = i % this.words;
      if (g % cfg.cpus !== this.t.tid || this.frame[i] < 0 || !this.stillMapped(mm, g, i)) continue;
      const v = a.peek(lay.word(this.frame[i] as number, g % cfg.wordsPerPage));
      if (v !== this.value[i]) violation(this.t, 'lost-write', `at the end, word ${g} of mm ${mm}'s private copy in frame ${this.frame[i]} holds ${v}, its owner last wrote ${this.value[i]}`);
    }
  }
}
