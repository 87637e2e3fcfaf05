/**
 * What the `lexi` entry and the library load: `--help` and a bare import load no engine at all,
 * and a MongoDB store never loads SQLite (better-sqlite3 is a native module, slow to load and
 * absent on some installs) unless an export stages its records.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { requireBuild, ROOT, runNode, tempDir } from "../helpers/cli.js";

/** Runs the CLI in-process and prints which engines' modules got loaded. */
const PROBE = `
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const { loadCli } = await import(${JSON.stringify(join(ROOT, "bin/load-cli.cjs"))});
const { main } = loadCli();
const code = await main(["node", "lexi", ...process.argv.slice(1)]);
const loaded = Object.keys(require.cache);
console.log(JSON.stringify({ code, sqlite: loaded.some((path) => path.includes("better-sqlite3")), mongodb: loaded.some((path) => path.includes("/node_modules/mongodb/")) }));
`;

async function probe(args: string[]): Promise<{ code: number; sqlite: boolean; mongodb: boolean }> {
  const { dir, cleanup } = tempDir();
  try {
    const result = await runNode(["--input-type=module", "-e", PROBE, "--", ...args], { cwd: dir });
    return JSON.parse(result.stdout.trim().split("\n").at(-1)!);
  } finally {
    cleanup();
  }
}

describe("what lexi loads (built binary)", () => {
  it("loads neither engine for --help", async () => {
    requireBuild();
    expect(await probe(["--help"])).toMatchObject({ sqlite: false, mongodb: false });
  });

  it("loads neither engine when a program imports the library", async () => {
    requireBuild();
    const { dir, cleanup } = tempDir();
    try {
      const script = `
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const lexi = await import(${JSON.stringify(join(ROOT, "dist/index.js"))});
const loaded = Object.keys(require.cache);
console.log(JSON.stringify({ exportDataset: typeof lexi.exportDataset, sqlite: loaded.some((path) => path.includes("better-sqlite3")), mongodb: loaded.some((path) => path.includes("/node_modules/mongodb/")) }));
`;
      const result = await runNode(["--input-type=module", "-e", script], { cwd: dir });
      expect(JSON.parse(result.stdout.trim())).toEqual({ exportDataset: "function", sqlite: false, mongodb: false });
    } finally {
      cleanup();
    }
  });

  it("bundles only the zod schema kinds lexi builds, not zod's whole namespace", () => {
    requireBuild();
    const bundled = readFileSync(join(ROOT, "dist/lexi.cjs"), "utf8");
    expect(bundled.includes("ZodObject")).toBe(true);
    const unusedKinds = ["ZodTemplateLiteral", "ZodSymbol", "ZodPromise", "ZodNaN"].filter((kind) => bundled.includes(kind));
    expect(unusedKinds).toEqual([]);
  });

  it("builds the command as ASCII text, which V8 keeps at one byte a character (a two-byte copy took twice as long to read)", () => {
    requireBuild();
    const bundled = readFileSync(join(ROOT, "dist/lexi.cjs"), "utf8");
    expect([...bundled.matchAll(/[^\x00-\x7f]/g)].map((match) => bundled.slice(match.index - 30, match.index + 10))).toEqual([]);
  });

  it("does not load better-sqlite3 for a MongoDB store", async () => {
    requireBuild();
    expect(await probe(["--db", "mongodb://127.0.0.1:9/lexi", "status"])).toEqual({ code: 5, sqlite: false, mongodb: true });
  }, 20_000);
});
