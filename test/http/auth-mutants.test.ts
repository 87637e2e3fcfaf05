/**
 * The API key rules one by one, at the edges a mutation test found unguarded: how
 * LEXI_API_KEYS is read, which header carries a key, which query parameters are redacted from
 * logs, and which addresses count as loopback.
 */
import { describe, expect, it } from "vitest";
import { findKey, isKeyParameter, isLoopback, parseApiKeys, presentedKey, redactUrl } from "../../src/http/auth.js";

const ADMIN = "admin-key-0123456789-abcdefghijklmnop";
const APP = "app-key-0123456789-qrstuvwxyzABCDEF";

describe("LEXI_API_KEYS", () => {
  it("reads no keys from an unset or blank variable", () => {
    expect(parseApiKeys(undefined)).toEqual([]);
    expect(parseApiKeys("  ")).toEqual([]);
  });

  it("reads scope:key pairs with spaces around them, each key found by its own value only", () => {
    const keys = parseApiKeys(` admin : ${ADMIN} , app:${APP} `);
    expect(keys.map((key) => key.scope)).toEqual(["admin", "app"]);
    expect(findKey(keys, ADMIN)?.scope).toBe("admin");
    expect(findKey(keys, APP)?.scope).toBe("app");
    expect(findKey(keys, ` ${ADMIN}`)).toBeUndefined();
    expect(findKey(keys, ADMIN.slice(0, -1))).toBeUndefined();
    expect(findKey(keys, undefined)).toBeUndefined();
    expect(findKey(keys, "")).toBeUndefined();
  });

  it("names the entry that has no scope or an unknown one", () => {
    expect(() => parseApiKeys(`admin:${ADMIN},${APP}`)).toThrow("LEXI_API_KEYS entry 2 must be app:<key> or admin:<key>");
    expect(() => parseApiKeys(`root:${ADMIN}`)).toThrow("LEXI_API_KEYS entry 1 must be app:<key> or admin:<key>");
    expect(() => parseApiKeys(`:${ADMIN}`)).toThrow("entry 1 must be app:<key> or admin:<key>");
    expect(() => parseApiKeys("appx")).toThrow("entry 1 must be app:<key> or admin:<key>");
  });

  it("takes a key of exactly 32 characters with 8 distinct ones, and no shorter or plainer key", () => {
    const eight = "abcdefgh".repeat(4);
    expect(parseApiKeys(`app:${eight}`)).toHaveLength(1);
    expect(() => parseApiKeys(`app:${eight.slice(1)}`)).toThrow("LEXI_API_KEYS entry 1 (app): a key must be at least 32 random characters");
    expect(() => parseApiKeys(`admin:${"abcdefg".repeat(5)}`)).toThrow("LEXI_API_KEYS entry 1 (admin): a key must be at least 32 random characters");
  });

  it("labels each key by its scope and a digest prefix that does not reveal the key", () => {
    const [admin, app] = parseApiKeys(`admin:${ADMIN},app:${APP}`);
    expect(admin!.label).toMatch(/^admin-[0-9a-f]{8}$/);
    expect(app!.label).toMatch(/^app-[0-9a-f]{8}$/);
    expect(admin!.label.slice(6)).not.toBe(app!.label.slice(4));
    expect(admin!.label).not.toContain(ADMIN.slice(0, 8));
  });

  it("lets the first entry decide when the same key is listed twice", () => {
    expect(findKey(parseApiKeys(`app:${APP},admin:${APP}`), APP)?.scope).toBe("app");
    expect(findKey(parseApiKeys(`admin:${APP},app:${APP}`), APP)?.scope).toBe("admin");
  });
});

describe("the presented key", () => {
  it("comes from Authorization: Bearer, in any case and with any spacing, trimmed", () => {
    expect(presentedKey({ authorization: `Bearer ${APP}` })).toBe(APP);
    expect(presentedKey({ authorization: `bearer   ${APP}  ` })).toBe(APP);
    expect(presentedKey({ authorization: `BEARER\t${APP}` })).toBe(APP);
  });

  it("comes from X-API-Key, trimmed, when there is no bearer token", () => {
    expect(presentedKey({ "x-api-key": ` ${APP} ` })).toBe(APP);
    expect(presentedKey({ authorization: `Basic ${APP}`, "x-api-key": ADMIN })).toBe(ADMIN);
    expect(presentedKey({ authorization: `Bearer${APP}`, "x-api-key": ADMIN })).toBe(ADMIN);
    expect(presentedKey({ authorization: `xBearer ${APP}` })).toBeUndefined();
  });

  it("is absent without either header, or when a header is repeated", () => {
    expect(presentedKey({})).toBeUndefined();
    expect(presentedKey({ "x-api-key": [APP, ADMIN] })).toBeUndefined();
    expect(presentedKey({ authorization: [`Bearer ${APP}`, `Bearer ${ADMIN}`], "x-api-key": ADMIN })).toBe(ADMIN);
  });
});

describe("key-like query parameters", () => {
  it("are recognised by their whole name, in any case", () => {
    for (const name of ["api_key", "api-key", "apikey", "APIKEY", "key", "token", "access_token", "access-token", "accesstoken", "x-api-key", "auth", "Authorization"]) {
      expect({ name, secret: isKeyParameter(name) }).toEqual({ name, secret: true });
    }
    for (const name of ["keys", "monkey", "user_id", "tokens", "author", "xapi_key", "access_tokenx"]) {
      expect({ name, secret: isKeyParameter(name) }).toEqual({ name, secret: false });
    }
  });

  it("have their values replaced by **** in a logged URL, every other parameter kept as sent", () => {
    expect(redactUrl("/api/v1/ai/interactions/user/u1")).toBe("/api/v1/ai/interactions/user/u1");
    expect(redactUrl(`/x?user_id=u1&api_key=${APP}&limit=5`)).toBe("/x?user_id=u1&api_key=****&limit=5");
    expect(redactUrl(`/x?token=a=b=c`)).toBe("/x?token=****");
    expect(redactUrl(`/x?%61pi_key=${APP}`)).toBe("/x?%61pi_key=****");
    expect(redactUrl("/x?token")).toBe("/x?token");
    expect(redactUrl("/x?%E0%A4%A=1&key=s")).toBe("/x?%E0%A4%A=1&key=****");
    expect(redactUrl("/x?")).toBe("/x?");
    expect(redactUrl("?token=abc")).toBe("?token=****");
  });
});

describe("loopback addresses", () => {
  it("include the IPv6 loopback written out in full, bracketed or mapped from IPv4 in any case", () => {
    for (const host of ["::1", "[::1]", "0:0:0:0:0:0:0:1", "::ffff:127.10.20.30", "0000:0000:0000:0000:0000:0000:0000:0001", "[::ffff:127.0.0.1]", "::FFFF:127.1.2.3", "127.255.255.255"]) {
      expect({ host, loopback: isLoopback(host) }).toEqual({ host, loopback: true });
    }
  });

  it("exclude every other address, mapped or not", () => {
    for (const host of ["::2", "0:0:0:0:0:0:0:2", "::ffff:10.0.0.1", "::ffff:0.0.0.0", "128.0.0.1", "27.0.0.1", "[127.0.0.1", "fe80::1", "[::]1", ":[:1]", "1:0:0:0:0:0:0:1", "0:0:0:0:0:0:0:10", "1::ffff:127.0.0.1", "127.example.com"]) {
      expect({ host, loopback: isLoopback(host) }).toEqual({ host, loopback: false });
    }
  });
});
