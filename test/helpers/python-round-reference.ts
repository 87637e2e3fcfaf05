/**
 * Python's `round(x, digits)` computed with exact integers, a different road from the server's:
 * the double is split into its integer mantissa and power of two, scaled by 10^digits, and
 * rounded half to even; the decimal result is then read back as the nearest double, as Python does.
 */
export function pythonRoundReference(x: number, digits: number): number {
  if (x === 0) return 0;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  const scaled = mantissa * 10n ** BigInt(digits);
  let integer: bigint;
  if (exponent >= 0) integer = scaled << BigInt(exponent);
  else {
    const shift = BigInt(-exponent);
    const quotient = scaled >> shift;
    const remainder = scaled - (quotient << shift);
    const half = 1n << (shift - 1n);
    integer = remainder > half || (remainder === half && quotient % 2n === 1n) ? quotient + 1n : quotient;
  }
  const value = Number(`${integer}e-${digits}`);
  return x < 0 ? -value : value;
}
