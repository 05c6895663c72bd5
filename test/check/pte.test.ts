import test from 'ava';
import { make_migration_entry, mk_pte } from '../../src/mm/pte.js';
import { check_set_pte } from '../../src/check/pte.js';
import { fired, machine } from './machine.js';

test('pte-overwrite fires on set_pte_at over a present entry (or a migration entry), and is quiet over an empty one', (t) => {
  const x = machine();
  t.is(fired(() => check_set_pte(x.task(0), mk_pte(3, false, true, false), 1, 0)), 'pte-overwrite');
  t.is(fired(() => check_set_pte(x.task(0), make_migration_entry(3), 1, 0)), 'pte-overwrite');
  t.is(fired(() => check_set_pte(x.task(0), 0, 1, 0)), null);
});
