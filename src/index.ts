// faultline as a library: declare a test (shared memory, locks, threads, a check), explore its
// schedules, replay a failure. The same engine runs the built-in mm machine.
export { defineTest, TestDefError } from './api/test.js';
export type { MemoryInit, Snapshot, TestDef, ThreadFn } from './api/test.js';
export type { LockKind } from './api/layout.js';
export type { TestThread } from './api/thread.js';
export { explore, replay } from './api/explore.js';
export type { ExploreOptions, ReplayOptions, ReplayResult } from './api/explore.js';
export type { ExploreFailure, ExploreJson } from './cli/explore_json.js';
export { StrategyError } from './sched/strategies/spec.js';
export type { SearchSpec, StrategyName, StrategyOptions } from './sched/strategies/spec.js';
