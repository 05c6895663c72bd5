// Fault latency as an HdrHistogram, recorded per CPU and merged by the coordinator.
import * as hdr from 'hdr-histogram-js';
import type { FaultClock } from '../cpu/user_access.js';

export function newHistogram(): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: 3 });
}

export class HdrClock implements FaultClock {
  readonly h = newHistogram();
  record(ns: number): void {
    this.h.recordValue(Math.max(1, Math.round(ns)));
  }
  encode(): string {
    return hdr.encodeIntoCompressedBase64(this.h);
  }
}

export function decode(s: string): hdr.Histogram {
  return hdr.decodeFromCompressedBase64(s);
}
