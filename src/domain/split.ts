/**
 * Deterministic split assignment: a hash of the group key and the seed picks the split, so the
 * same data and seed always land in the same files, and a learner never spans two splits.
 *
 * @example
 * assignSplit("learner-7", 42, [0.9, 0.05, 0.05]) // 0, 1 or 2, always the same for these inputs
 */
import { createHash } from "node:crypto";
import { InvalidInputError } from "../errors.js";

export function parseSplit(text: string): number[] {
  const ratios = text.split(",").map((part) => Number(part.trim()));
  if (ratios.length === 0 || ratios.length > 3 || ratios.some((r) => !Number.isFinite(r) || r < 0 || r > 1)) {
    throw new InvalidInputError(`--split takes one to three ratios between 0 and 1 (train,validation,test); got "${text}"`);
  }
  if (Math.abs(ratios.reduce((a, b) => a + b, 0) - 1) > 1e-6) throw new InvalidInputError(`--split ratios must add up to 1; got "${text}"`);
  return ratios;
}

/** A number in [0, 1) from the first 48 bits of sha256(seed:key). */
export function unitHash(key: string, seed: number): number {
  const digest = createHash("sha256").update(`${seed}:${key}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

export function assignSplit(key: string, seed: number, ratios: number[]): number {
  if (ratios.length === 1) return 0;
  const point = unitHash(key, seed);
  let edge = 0;
  for (let i = 0; i < ratios.length; i++) {
    edge += ratios[i]!;
    if (point < edge) return i;
  }
  return ratios.length - 1;
}
