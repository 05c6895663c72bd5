// A zod validation issue in faultline's words: the path in the document and what the value must be.
import type * as z from 'zod';

/** `path` joined with dots ('' for the document itself) and what is wrong there. */
export function issueText(issue: z.core.$ZodIssue): { path: string; text: string } {
  const path = issue.path.join('.');
  switch (issue.code) {
    case 'too_big':
      return { path, text: `must be at most ${String(issue.maximum)}` };
    case 'too_small':
      return { path, text: `must be ${issue.inclusive === false ? 'more than' : 'at least'} ${String(issue.minimum)}` };
    case 'invalid_type':
      return { path, text: `must be ${issue.expected === 'int' ? 'an integer' : `a ${issue.expected}`}` };
    case 'invalid_value':
      return { path, text: `must be ${issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${issue.values.map(String).join(', ')}`}` };
    case 'invalid_union':
      // a discriminated union's tag that names no variant
      if ('options' in issue && Array.isArray(issue.options)) return { path, text: `must be one of ${(issue.options as unknown[]).map(String).join(', ')}` };
      return { path, text: issue.message };
    case 'unrecognized_keys':
      return { path, text: `unknown key '${issue.keys[0]}'` };
    default:
      return { path, text: issue.message };
  }
}
