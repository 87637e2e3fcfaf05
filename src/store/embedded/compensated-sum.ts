/**
 * Sums of fractions as MongoDB and SQLite add them: with the rounding error of each addition
 * kept beside the running sum, so ten readings of 0.1 sum to 1 (a plain running sum gives
 * 0.9999999999999999). MongoDB's `$sum` and `$avg` keep a double-double sum; SQLite's `sum()`,
 * `total()` and `avg()` (3.43 and later) the Kahan–Babuška–Neumaier sum written here, step for
 * step. Every `$group` of the embedded engine adds this way: SQLite over hot columns, the native
 * group over documents, and mingo's accumulators. They agree with the exact sum, rounded once, to
 * within a few units in the last place; they need not agree with each other in the last bit,
 * because SQLite adds each quarter hour's values first and those partial sums are added here.
 */

/** A running sum and the rounding error its additions lost. */
export type CompensatedSum = [sum: number, error: number];

/** Adds `value` into `into` (changed in place, and returned). */
export function addTo(into: CompensatedSum, value: number): CompensatedSum {
  const [sum] = into;
  const next = sum + value;
  into[1] += Math.abs(sum) > Math.abs(value) ? sum - next + value : value - next + sum;
  into[0] = next;
  return into;
}

/** Adds another compensated sum: its sum, then the error it kept. */
export function addSum(into: CompensatedSum, other: CompensatedSum): CompensatedSum {
  addTo(into, other[0]);
  if (other[1] !== 0) addTo(into, other[1]);
  return into;
}

/** The sum's value: SQLite's `sum + error` (an infinite error, from an overflowing sum, is left out). */
export function roundedSum([sum, error]: CompensatedSum): number {
  return Number.isFinite(error) ? sum + error : sum;
}

type Accumulator = (collection: unknown[], expression: unknown, options: unknown) => unknown;

/**
 * mingo's `$sum` and `$avg` accumulators, adding this way: the pipelines that the native `$group`
 * does not take (a constant key, a computed one) give the same sums as those it does.
 */
export function compensatedAccumulators(push: Accumulator): Record<"$sum" | "$avg", Accumulator> {
  const numbers = (collection: unknown[], expression: unknown, options: unknown) =>
    (push(collection, expression, options) as unknown[]).filter((value): value is number => typeof value === "number" && !Number.isNaN(value));
  const total = (values: number[]) => roundedSum(values.reduce((sum: CompensatedSum, value) => addTo(sum, value), [0, 0]));
  return {
    $sum: (collection, expression, options) => (typeof expression === "number" ? collection.length * expression : total(numbers(collection, expression, options))),
    $avg: (collection, expression, options) => {
      const values = numbers(collection, expression, options);
      return values.length ? total(values) / values.length : null;
    },
  };
}
