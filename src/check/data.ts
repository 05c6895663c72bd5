// Data oracles. Every simulated word has one owner CPU, which stores unique increasing tokens to
// it: the owner must read back exactly its last token (no lost write, read-your-writes), and any
// other CPU must never see a word go backwards (monotonic reads, no stale read). Processes'
// private copies are checked the same way, per process (private_data.ts).
import type { Task } from '../kernel/task.js';
import { backingFrame } from '../shm/words.js';
import { PrivateDataOracle } from './private_data.js';
import { violation } from './violation.js';

export class DataOracle {
  /** the owner's last token per word (only this CPU's words are used) */
  readonly shadow: Int32Array;
  /** the largest value this CPU has seen per word */
  readonly seen: Int32Array;
  /** the same checks on the processes' private (COW) copies */
  readonly priv: PrivateDataOracle;
  private token = 0;

  constructor(private readonly t: Task) {
    const c = t.cfg;
    this.shadow = new Int32Array(c.objects * c.pages * c.wordsPerPage);
    this.seen = new Int32Array(this.shadow.length);
    this.priv = new PrivateDataOracle(t, () => ++this.token);
  }

  static owner(g: number, cpus: number): number {
    return g % cpus;
  }

  /** the token the owner writes next to global word g */
  nextToken(g: number): number {
    this.token++;
    this.shadow[g] = this.token;
    return this.token;
  }

  /** Runs on every load: the checks are compares; the reports are built out of line. */
  checkLoad(g: number, v: number, vpn: number, obj: number): void {
    const t = this.t;
    if (DataOracle.owner(g, t.cfg.cpus) === t.tid) {
      if (v !== this.shadow[g]) this.lostWrite(g, v, vpn, obj);
    } else {
      const seen = this.seen[g] as number;
      if (v < seen) this.staleRead(g, v, seen, vpn, obj);
      this.seen[g] = v;
    }
  }

  private lostWrite(g: number, v: number, vpn: number, obj: number): never {
    violation(this.t, 'lost-write', `read back ${v} from own word ${g}, last wrote ${this.shadow[g]}`, { addr: vpn, obj });
  }

  private staleRead(g: number, v: number, seen: number, vpn: number, obj: number): never {
    violation(this.t, 'stale-read', `word ${g} (owner cpu${DataOracle.owner(g, this.t.cfg.cpus)}) went back from ${seen} to ${v}`, { addr: vpn, obj });
  }

  /** At the end, on a quiet machine: every word this CPU owns holds its last token, read through
   * the object's current backing; so does every private copy it wrote that is still mapped. */
  checkFinal(): void {
    const t = this.t;
    const { cfg, lay } = t;
    const words = cfg.pages * cfg.wordsPerPage;
    for (let g = t.tid; g < this.shadow.length; g += cfg.cpus) {
      const obj = Math.floor(g / words);
      const page = Math.floor((g % words) / cfg.wordsPerPage);
      const v = t.a.peek(lay.word(backingFrame(lay, t.m, obj, page), g % cfg.wordsPerPage));
      if (v !== this.shadow[g]) violation(t, 'lost-write', `at the end, word ${g} (object ${obj} page ${page}) holds ${v}, its owner last wrote ${this.shadow[g]}`, { obj });
    }
    this.priv.checkFinal();
  }
}
