// Exit codes: 0 clean, 1 a violation (or a crash) was found, 2 bad input.
export const EXIT_CLEAN = 0;
export const EXIT_VIOLATION = 1;
export const EXIT_BAD_INPUT = 2;

/** Bad input detected after flag parsing: printed as one line, exit 2. */
export class UsageError extends Error {}
