// Two deposits as load-then-store: one can overwrite the other (a lost update). Fixed: an atomic add.
import { defineTest } from '../src/index.js';

const check = ({ balance }: { balance: number }): string | true => balance === 2 || `lost update: balance is ${balance}, not 2`;

export default defineTest({
  memory: { balance: 0 },
  threads: {
    alice: (t) => t.store('balance', t.load('balance') + 1),
    bob: (t) => t.store('balance', t.load('balance') + 1),
  },
  check: (m) => check(m as { balance: number }),
});

export const fixed = defineTest({
  memory: { balance: 0 },
  threads: {
    alice: (t) => void t.add('balance', 1),
    bob: (t) => void t.add('balance', 1),
  },
  check: (m) => check(m as { balance: number }),
});
