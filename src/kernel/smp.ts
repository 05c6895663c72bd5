// Inter-processor interrupts with acknowledgement (smp_call_function_many with wait=1): one
// mailbox per (target CPU, sender), a pending counter the target polls at interrupt points.
import type { Task } from './task.js';
import { IPI_ACK, IPI_END, IPI_GEN, IPI_MM, IPI_REQ, IPI_START, ST_IPIS_RECEIVED, ST_IPIS_SENT, TH_IPI_PENDING, TH_WAIT_IDX } from '../shm/layout.js';
import { label } from '../sched/labels.js';
import { OPEN_IPI_WAIT, ipiFlowId } from '../profile/probe.js';

const L_SEND = label('ipi:send');
const L_ACK_WAIT = label('ipi:wait_ack');
const L_SERVICE = label('ipi:service');

export type IpiHandler = (t: Task, mm: number, start: number, end: number, gen: number) => void;

/** Posts a request to `target` and kicks it awake if it sleeps; returns the sequence to await. */
export function smp_send(t: Task, target: number, mm: number, start: number, end: number, gen: number): number {
  const a = t.a;
  const box = t.lay.ipiBox(target, t.tid);
  const seq = a.load(box + IPI_REQ, L_SEND) + 1;
  a.store(box + IPI_MM, mm, L_SEND);
  a.store(box + IPI_START, start, L_SEND);
  a.store(box + IPI_END, end, L_SEND);
  a.store(box + IPI_GEN, gen, L_SEND);
  // the flow starts before the request is visible: the target may ack at once
  if (t.probe.on) t.probe.flow('s', ipiFlowId(t.tid, seq), `IPI to cpu${target}`);
  a.store(box + IPI_REQ, seq, L_SEND);
  const pending = t.lay.th(target, TH_IPI_PENDING);
  a.add(pending, 1, L_SEND);
  a.wake(pending);
  const sleepingOn = a.load(t.lay.th(target, TH_WAIT_IDX), L_SEND);
  if (sleepingOn !== 0) a.wake(sleepingOn - 1);
  t.count(ST_IPIS_SENT);
  return seq;
}

/** Waits for `target` to acknowledge request `seq` (or a later one, which covers it), servicing
 * our own IPIs meanwhile. */
export function smp_wait_ack(t: Task, target: number, seq: number): void {
  const ack = t.lay.ipiBox(target, t.tid) + IPI_ACK;
  let cur = t.a.load(ack, L_ACK_WAIT);
  if (cur - seq >= 0) return;
  const since = t.probe.open(OPEN_IPI_WAIT, target);
  for (; cur - seq < 0; cur = t.a.load(ack, L_ACK_WAIT)) t.a.block(ack, cur, L_ACK_WAIT);
  t.probe.waitedFor('ipi_ack', `cpu${target}`, L_ACK_WAIT, since);
}

/** Runs on the target at an interrupt point: handle every posted request, then acknowledge it. */
export function smp_service(t: Task, handler: IpiHandler): void {
  const a = t.a;
  a.xchg(t.lay.th(t.tid, TH_IPI_PENDING), 0, L_SERVICE);
  for (let sender = 0; sender < t.lay.threads; sender++) {
    const box = t.lay.ipiBox(t.tid, sender);
    const req = a.load(box + IPI_REQ, L_SERVICE);
    if (req === a.load(box + IPI_ACK, L_SERVICE)) continue;
    handler(t, a.load(box + IPI_MM, L_SERVICE), a.load(box + IPI_START, L_SERVICE), a.load(box + IPI_END, L_SERVICE), a.load(box + IPI_GEN, L_SERVICE));
    a.store(box + IPI_ACK, req, L_SERVICE);
    a.wake(box + IPI_ACK);
    if (t.probe.on) t.probe.flow('f', ipiFlowId(sender, req), `IPI to cpu${t.tid}`);
    t.count(ST_IPIS_RECEIVED);
  }
}
