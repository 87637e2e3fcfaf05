/**
 * How many clean examples (sentences without errors) make up a share of the grammar records:
 * with `errorful` records holding errors, `clean / (clean + errorful)` comes closest to `share`.
 *
 * @example
 * cleanCount(80, 0.2) // 20: 20 of 100 grammar records are clean
 */
export function cleanCount(errorful: number, share: number): number {
  if (share <= 0) return 0;
  return Math.round((share * errorful) / (1 - share));
}
