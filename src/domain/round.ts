/**
 * Scores are stored rounded to 4 decimals, so that 0.6 + 0.1 + 0.2 is 0.9 and not 0.9000000000000001.
 *
 * @example
 * round4(0.6 + 0.1 + 0.2) // 0.9
 */
export function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
