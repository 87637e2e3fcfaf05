/**
 * Where a store lives, as given on the command line or in `LEXI_DB`, and how to print it safely.
 */
import { resolve } from "node:path";

export type StoreLocation =
  | { kind: "mongodb"; uri: string }
  | { kind: "embedded"; path: string };

export const DEFAULT_DB_PATH = ".lexi/lexi.db";

/**
 * @example
 * parseLocation("mongodb://localhost/lexi")   // { kind: "mongodb", uri }
 * parseLocation("sqlite:data/lexi.db")        // { kind: "embedded", path: "/abs/data/lexi.db" }
 * parseLocation(":memory:")                   // { kind: "embedded", path: ":memory:" }
 */
export function parseLocation(uri: string, cwd = process.cwd()): StoreLocation {
  if (/^mongodb(\+srv)?:\/\//i.test(uri)) return { kind: "mongodb", uri };
  const path = uri.replace(/^sqlite:(\/\/)?/i, "");
  if (path === ":memory:") return { kind: "embedded", path };
  return { kind: "embedded", path: resolve(cwd, path) };
}

/** Replaces the password of a URI (`user:secret@`) and any secret-looking query values with `****`. */
export function maskSecrets(text: string): string {
  return text
    .replace(/(\/\/[^:/?#@\s]+:)[^@/\s]*@/g, "$1****@")
    .replace(/([?&](?:password|authMechanismProperties|tlsCertificateKeyFilePassword)=)[^&\s]*/gi, "$1****");
}
