/**
 * Slows key guessing: after `maxFailures` failed authentications within a window, an address
 * gets 429 until the window ends, whatever key it sends. Counted per client address, before and
 * apart from the per-key request limit (which a guesser, having no key, never reaches).
 */
export interface AuthThrottleOptions {
  maxFailures: number;
  windowMs: number;
  /** Addresses remembered at most; the oldest are forgotten first. */
  maxAddresses?: number;
}

export const DEFAULT_AUTH_THROTTLE: AuthThrottleOptions = { maxFailures: 10, windowMs: 60_000, maxAddresses: 100_000 };

export class AuthThrottle {
  private readonly failures = new Map<string, { count: number; until: number }>();

  constructor(private readonly options: AuthThrottleOptions = DEFAULT_AUTH_THROTTLE) {}

  /** Seconds the address must wait, or 0 when it may try. */
  retryAfter(address: string, now = Date.now()): number {
    const entry = this.failures.get(address);
    if (!entry) return 0;
    if (entry.until <= now) {
      this.failures.delete(address);
      return 0;
    }
    return entry.count >= this.options.maxFailures ? Math.ceil((entry.until - now) / 1000) : 0;
  }

  fail(address: string, now = Date.now()): void {
    const entry = this.failures.get(address);
    if (entry && entry.until > now) {
      entry.count++;
      return;
    }
    this.failures.delete(address);
    if (this.failures.size >= (this.options.maxAddresses ?? Number.POSITIVE_INFINITY)) {
      this.failures.delete(this.failures.keys().next().value!);
    }
    this.failures.set(address, { count: 1, until: now + this.options.windowMs });
  }
}
