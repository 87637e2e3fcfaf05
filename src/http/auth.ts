/**
 * API keys with two scopes. `app` covers what the mobile app does (log interactions, submit
 * feedback, save progress, read a learner's progress and patterns); `admin` covers everything.
 * Keys come from the environment and are never logged.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { InvalidInputError } from "../errors.js";

export type Scope = "app" | "admin";

export interface ApiKey {
  scope: Scope;
  /** sha256 of the key: the key itself is not kept in memory longer than needed. */
  digest: Buffer;
  /** A short, non-secret label for logs and rate limiting. */
  label: string;
}

const digestOf = (key: string) => createHash("sha256").update(key).digest();

/**
 * `LEXI_API_KEYS="admin:s3cret,app:an0ther"` (scope:key pairs, comma-separated).
 *
 * @example
 * parseApiKeys("admin:k1,app:k2").map((k) => k.scope) // ["admin", "app"]
 */
export function parseApiKeys(text: string | undefined): ApiKey[] {
  if (!text?.trim()) return [];
  return text.split(",").map((entry, index) => {
    const separator = entry.indexOf(":");
    const scope = entry.slice(0, separator).trim();
    const key = entry.slice(separator + 1).trim();
    if (separator < 0 || (scope !== "app" && scope !== "admin") || key.length < 8) {
      throw new InvalidInputError(`LEXI_API_KEYS entry ${index + 1} must be app:<key> or admin:<key> with a key of 8+ characters`);
    }
    const digest = digestOf(key);
    return { scope, digest, label: `${scope}-${digest.subarray(0, 4).toString("hex")}` };
  });
}

export function findKey(keys: ApiKey[], presented: string | undefined): ApiKey | undefined {
  if (!presented) return undefined;
  const digest = digestOf(presented);
  return keys.find((key) => timingSafeEqual(key.digest, digest));
}

/** The key from `Authorization: Bearer …` or `X-API-Key: …`. */
export function presentedKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === "string" && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, "").trim();
  const header = headers["x-api-key"];
  return typeof header === "string" ? header.trim() : undefined;
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host.startsWith("127.");
}
