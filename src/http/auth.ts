/**
 * API keys with two scopes. `app` covers what the mobile app does (log interactions, submit
 * feedback, save progress, read a learner's progress and patterns); `admin` covers everything.
 * Keys come from the environment and are never logged.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
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

/** Long enough that guessing is hopeless even without the throttle. */
export const MIN_KEY_LENGTH = 32;
export const HOW_TO_MAKE_A_KEY = "make one with `openssl rand -hex 32` or `node -e \"console.log(require('crypto').randomBytes(32).toString('hex'))\"`";

/**
 * `LEXI_API_KEYS="admin:<key>,app:<key>"` (scope:key pairs, comma-separated), each key at least
 * 32 random characters.
 *
 * @example
 * parseApiKeys(`admin:${"a1b2".repeat(8)},app:${"c3d4".repeat(8)}`).map((k) => k.scope) // ["admin", "app"]
 */
export function parseApiKeys(text: string | undefined): ApiKey[] {
  if (!text?.trim()) return [];
  return text.split(",").map((entry, index) => {
    const separator = entry.indexOf(":");
    const scope = entry.slice(0, separator).trim();
    const key = entry.slice(separator + 1).trim();
    if (separator < 0 || (scope !== "app" && scope !== "admin")) {
      throw new InvalidInputError(`LEXI_API_KEYS entry ${index + 1} must be app:<key> or admin:<key>`);
    }
    // A long key of few distinct characters ("aaaa…", "1234…") is not random.
    if (key.length < MIN_KEY_LENGTH || new Set(key).size < 8) {
      throw new InvalidInputError(`LEXI_API_KEYS entry ${index + 1} (${scope}): a key must be at least ${MIN_KEY_LENGTH} random characters; ${HOW_TO_MAKE_A_KEY}`);
    }
    const digest = digestOf(key);
    return { scope, digest, label: `${scope}-${digest.subarray(0, 4).toString("hex")}` };
  });
}

/** Compares in constant time against every key (digests of equal length), so timing tells nothing. */
export function findKey(keys: ApiKey[], presented: string | undefined): ApiKey | undefined {
  if (!presented) return undefined;
  const digest = digestOf(presented);
  let found: ApiKey | undefined;
  for (const key of keys) if (timingSafeEqual(key.digest, digest) && !found) found = key;
  return found;
}

/** The key from `Authorization: Bearer …` or `X-API-Key: …`. */
export function presentedKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === "string" && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, "").trim();
  const header = headers["x-api-key"];
  return typeof header === "string" ? header.trim() : undefined;
}

/** Query parameters that look like a key: a key in a URL ends up in logs, histories and proxies. */
const KEY_PARAMETER = /^(api[-_]?key|key|token|access[-_]?token|x-api-key|apikey|auth|authorization)$/i;

export function isKeyParameter(name: string): boolean {
  return KEY_PARAMETER.test(name);
}

/** The URL with the value of every key-like query parameter replaced by `****`, for logs. */
export function redactUrl(url: string): string {
  const at = url.indexOf("?");
  if (at < 0) return url;
  const query = url
    .slice(at + 1)
    .split("&")
    .map((pair) => {
      const [name = "", ...rest] = pair.split("=");
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // Undecodable names are compared as sent.
      }
      return rest.length && isKeyParameter(decoded) ? `${name}=****` : pair;
    });
  return `${url.slice(0, at)}?${query.join("&")}`;
}

/**
 * Only literal loopback addresses (127.0.0.0/8, ::1, ::ffff:127.x.x.x): a name such as
 * `127.0.0.1.nip.io` or `localhost` is resolved by DNS or /etc/hosts, which lexi cannot vouch for.
 */
export function isLoopback(host: string): boolean {
  const address = host.replace(/^\[(.*)\]$/, "$1");
  if (isIP(address) === 6) {
    if (address === "::1" || /^0*:0*:0*:0*:0*:0*:0*:0*1$/.test(address)) return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    return mapped ? isLoopback(mapped[1]!) : false;
  }
  return isIP(address) === 4 && address.split(".")[0] === "127";
}
