// Fault latency as an HdrHistogram, recorded per CPU and merged by the coordinator.
import * as hdr from 'hdr-histogram-js';
import type { FaultClock } from '../arch/x86/uaccess.js';
import { CTL_MEASURING } from '../shm/layout.js';

export function newHistogram(): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: 3 });
}

/** Records the faults of the measured window only (CTL_MEASURING), as will-it-scale discards
 * its warm-up. */
export class HdrClock implements FaultClock {
  readonly h = newHistogram();
  constructor(private readonly m: Int32Array) {}
  record(ns: number): void {
    if (Atomics.load(this.m, CTL_MEASURING) === 1) this.h.recordValue(Math.max(1, Math.round(ns)));
  }
  encode(): string {
    return encode(this.h);
  }
}

/** A histogram as HdrHistogram's compressed base64 (what other HdrHistogram tools read). */
export function encode(h: hdr.Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decode(s: string): hdr.Histogram {
  return hdr.decodeFromCompressedBase64(s);
}
