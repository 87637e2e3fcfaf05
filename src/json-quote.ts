/**
 * A string as JSON.stringify writes it. Most strings need no escape, and a template costs less
 * than the call; the hot loops that write JSON by hand (the store's codec, import content ids)
 * quote every string and field name through this.
 */

/** Characters JSON.stringify escapes in a string (and surrogates, which it escapes when alone). */
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

export function quoted(text: string): string {
  return ESCAPED.test(text) ? JSON.stringify(text) : `"${text}"`;
}
