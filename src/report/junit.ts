// JUnit XML for CI dashboards: one test case per explore failure, or per catalog bug in a matrix.
import junitModule, { type Builder } from 'junit-report-builder';

// the package is CommonJS (`module.exports = builder`) but types itself as an ES default export
const junit = junitModule as unknown as Builder;

export interface JunitCase {
  /** the group the case belongs to (its "class") */
  group: string;
  name: string;
  /** set when the case failed: a one-line message, and the details */
  failure?: { message: string; details?: string };
  seconds?: number;
}

export function junitXml(suite: string, cases: JunitCase[]): string {
  const b = junit.newBuilder();
  const s = b.testSuite().name(suite);
  for (const c of cases) {
    const tc = s.testCase().className(c.group).name(c.name);
    if (c.seconds !== undefined) tc.time(c.seconds);
    if (c.failure) tc.failure(c.failure.message, 'violation');
    if (c.failure?.details) tc.standardOutput(c.failure.details);
  }
  return b.build();
}
