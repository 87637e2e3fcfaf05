/**
 * Python's `round(x, digits)`, which the original applied to feedback statistics: it rounds the
 * exact binary value of `x` (2.675 is stored as 2.67499…, so it becomes 2.67) and sends exact
 * ties to the even digit (81.25 becomes 81.2, 68.75 becomes 68.8). `Math.round` rounds ties up
 * and `toFixed` rounds ties away from zero, so neither matches.
 *
 * @example
 * pythonRound(81.25, 1) // 81.2
 * pythonRound(2.675, 2) // 2.67
 */
export function pythonRound(x: number, digits: number): number {
  if (!Number.isFinite(x) || Math.abs(x) >= 1e21) return x;
  // toFixed(100) writes the exact binary value for every |x| ≥ 2⁻⁴⁸; anything smaller rounds to 0
  // at the few digits used here, and no tie is possible there.
  const exact = Math.abs(x).toFixed(100);
  const point = exact.indexOf(".");
  const kept = digits > 0 ? exact.slice(0, point + 1 + digits) : exact.slice(0, point);
  const rest = exact.slice(point + 1 + digits);
  const lastKept = Number(kept[kept.length - 1]);
  const up = rest[0]! > "5" || (rest[0] === "5" && (/[1-9]/.test(rest.slice(1)) || lastKept % 2 === 1));
  const magnitude = Number(kept) + (up ? 10 ** -digits : 0);
  // Adding 10^-digits may leave binary noise; re-reading the decimal text gives the nearest double.
  const rounded = Number(magnitude.toFixed(digits));
  return x < 0 ? -rounded : rounded;
}
