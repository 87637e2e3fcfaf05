/**
 * Warnings go to stderr, so standard output keeps only the result (also under --json).
 */
export function warn(message: string | undefined): void {
  if (message) process.stderr.write(`lexi: warning: ${message}\n`);
}
