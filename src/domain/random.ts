/** A small seeded PRNG (mulberry32): the same seed always gives the same demo data. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** Rounded to two decimals, clamped to [min, max]. */
  around(center: number, spread: number, min = 0, max = 1): number {
    const value = center + (this.next() * 2 - 1) * spread;
    return Math.round(Math.min(max, Math.max(min, value)) * 100) / 100;
  }
}
