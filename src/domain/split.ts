/**
 * Deterministic split assignment. Groups (learners, or examples) are ordered by a hash of the seed
 * and the group key, then cut at the cumulative ratios: the same data and seed always land in the
 * same files, a learner never spans two splits, and every split gets at least one group whenever
 * there are at least as many groups as splits (independent draws per group would leave a small
 * split empty by chance).
 *
 * @example
 * splitEnds(16, [0.9, 0.05, 0.05]) // [14, 15, 16]: groups ranked 0–13 train, 14 validation, 15 test
 */
import { createHash } from "node:crypto";
import { InvalidInputError } from "../errors.js";

export function parseSplit(text: string): number[] {
  const ratios = text.split(",").map((part) => Number(part.trim()));
  if (ratios.length === 0 || ratios.length > 3 || ratios.some((r) => !Number.isFinite(r) || r < 0 || r > 1)) {
    throw new InvalidInputError(`--split takes one to three ratios between 0 and 1 (train,validation,test); got "${text}"`);
  }
  if (Math.abs(ratios.reduce((a, b) => a + b, 0) - 1) > 1e-6) throw new InvalidInputError(`--split ratios must add up to 1; got "${text}"`);
  if (ratios.length > 1 && ratios.some((r) => r === 0)) throw new InvalidInputError(`every --split ratio must be above 0 (leave a split out instead); got "${text}"`);
  return ratios;
}

/** The rank key of a group: hex sha256 of seed and group key. */
export function splitHash(group: string, seed: number): string {
  return createHash("sha256").update(`${seed}:${group}`).digest("hex");
}

/**
 * Where each split ends among `groups` groups ranked by hash: split i takes ranks
 * [ends[i-1], ends[i]). Each split gets at least one group when groups ≥ splits.
 */
export function splitEnds(groups: number, ratios: number[]): number[] {
  const ends: number[] = [];
  let cumulative = 0;
  for (let i = 0; i < ratios.length; i++) {
    cumulative += ratios[i]!;
    const later = ratios.length - 1 - i;
    const previous = i === 0 ? 0 : ends[i - 1]!;
    const wanted = i === ratios.length - 1 ? groups : Math.round(cumulative * groups);
    // At least one group here (when any are left), and one left for each later split.
    ends.push(Math.max(Math.min(previous + 1, groups), Math.min(wanted, groups - later)));
  }
  return ends;
}
