/**
 * Quoting for POSIX shells (IEEE Std 1003.1, Shell Command Language, 2.2 "Quoting"): inside single quotes every
 * character is literal, and a single quote is written as '\'' (close, escaped quote, reopen).
 */

/** One word, always single-quoted: whatever it holds reaches the program as exactly this one argument. */
export function quoteAlways(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Characters no POSIX shell treats specially anywhere in a word (for readable output). */
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;
/** A leading NAME= makes a word a variable assignment instead of a command (2.9.1 "Simple Commands"). */
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** One word, quoted only when it needs it (for commands shown to people, e.g. --dry-run). */
export function shellQuote(word: string): string {
  return PLAIN_WORD.test(word) ? word : quoteAlways(word);
}

/** A command line that, pasted into a shell, runs exactly these words: nothing in a value expands or splits. */
export function shellCommand(argv: readonly string[]): string {
  return argv.map((word, i) => (i === 0 && ASSIGNMENT.test(word) ? quoteAlways(word) : shellQuote(word))).join(" ");
}
