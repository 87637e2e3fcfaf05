/**
 * The `lexi` binary compiles its code once per build and Node version, and reads V8's compiled
 * code back on later runs; a cache it cannot trust or read only means compiling as usual.
 */
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LEXI_BIN, requireBuild, ROOT, runNode, tempDir } from "../helpers/cli.js";

/** Runs a lexi command (`--version` unless told) through the loader and prints what it did with the cache. */
const PROBE = `
const { loadCli } = await import(${JSON.stringify(join(ROOT, "bin/load-cli.cjs"))});
const argv = ["node", "lexi", ...JSON.parse(process.env.PROBE_ARGS)];
const cli = loadCli(process.env.PROBE_CLI || undefined, argv);
const code = await cli.main(argv);
cli.saveCache();
console.log(JSON.stringify({ code, cache: cli.cache }));
`;

async function probe(cacheHome: string, cliFile?: string, args = ["--version"], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number; cache: string; version: string }> {
  const env = { XDG_CACHE_HOME: cacheHome, PROBE_CLI: cliFile ?? "", PROBE_ARGS: JSON.stringify(args), ...extraEnv };
  const result = await runNode(["--input-type=module", "-e", PROBE], { cwd: join(cacheHome, ".."), env });
  const lines = result.stdout.trim().split("\n");
  return { ...JSON.parse(lines.at(-1)!), version: lines[0]! };
}

const cacheFiles = (cacheHome: string) => readdirSync(join(cacheHome, "lexi")).filter((name) => name.endsWith(".cache"));

describe("the compiled-code cache of the lexi binary", () => {
  it("is written by the first run, only its owner may read it, and later runs use it", async () => {
    requireBuild();
    const { dir, cleanup } = tempDir();
    try {
      const first = await runNode([LEXI_BIN, "--version"], { cwd: dir, env: { XDG_CACHE_HOME: dir } });
      expect(first.code).toBe(0);
      const [file] = cacheFiles(dir);
      expect(file).toBeDefined();
      expect(statSync(join(dir, "lexi")).mode & 0o777).toBe(0o700);
      expect(statSync(join(dir, "lexi", file!)).mode & 0o777).toBe(0o600);
      // Used, not compiled over: the file is left as it was.
      const written = statSync(join(dir, "lexi", file!)).mtimeMs;
      const second = await runNode([LEXI_BIN, "--version"], { cwd: dir, env: { XDG_CACHE_HOME: dir } });
      expect(second.stdout).toBe(first.stdout);
      expect(statSync(join(dir, "lexi", file!)).mtimeMs).toBe(written);
    } finally {
      cleanup();
    }
  });

  it("is one per command: each command's first run saves its own, which later runs use", async () => {
    requireBuild();
    const { dir, cleanup } = tempDir();
    try {
      await probe(dir);
      const [file] = cacheFiles(dir);
      const path = join(dir, "lexi", file!);
      const first = statSync(path);
      expect((await probe(dir)).cache).toBe("used");
      expect(statSync(path).mtimeMs).toBe(first.mtimeMs);
      expect(await probe(dir, undefined, ["schema", "--help"])).toMatchObject({ code: 0, cache: "missing" });
      expect(cacheFiles(dir).sort()).toEqual([file, file!.replace(/-lexi\.cache$/, "-schema.cache")].sort());
      expect((await probe(dir, undefined, ["schema", "--help"])).cache).toBe("used");
      // Characters that do not belong in a file name (a path, spaces) become dashes.
      await probe(dir, undefined, ["../../x y", "--help"]);
      expect(cacheFiles(dir)).toContain(file!.replace(/-lexi\.cache$/, "--x-y.cache"));
      expect(cacheFiles(dir).every((name) => /^code-[0-9a-f]{40}-[a-z0-9-]+\.cache$/.test(name))).toBe(true);
      expect(statSync(path).mtimeMs).toBe(first.mtimeMs);
    } finally {
      cleanup();
    }
  });

  it("a damaged cache is never run: it is compiled over, and the command still runs", async () => {
    requireBuild();
    const { dir, cleanup } = tempDir();
    try {
      expect((await probe(dir)).cache).toBe("missing");
      const [file] = cacheFiles(dir);
      const path = join(dir, "lexi", file!);
      // One page zeroed in the middle: the header V8 checks stays intact, the code does not.
      const damaged = readFileSync(path);
      damaged.fill(0, 40_960, 45_056);
      writeFileSync(path, damaged);
      const run = await probe(dir);
      expect(run).toMatchObject({ code: 0, cache: "rejected" });
      expect(run.version).toMatch(/^\d+\.\d+\.\d+/);
      writeFileSync(path, Buffer.alloc(4096, 7));
      expect((await probe(dir)).cache).toBe("rejected");
      expect((await probe(dir)).cache).toBe("used");
    } finally {
      cleanup();
    }
  });

  it("is not read from a folder others may write, nor where no folder can be made", async () => {
    requireBuild();
    const { dir, cleanup } = tempDir();
    try {
      await probe(dir);
      chmodSync(join(dir, "lexi"), 0o770);
      expect(await probe(dir)).toMatchObject({ code: 0, cache: "off" });
      const blocked = join(dir, "blocked");
      writeFileSync(blocked, "a file where the cache folder would go");
      expect(await probe(blocked)).toMatchObject({ code: 0, cache: "off" });
    } finally {
      cleanup();
    }
  });

  it("ignores a relative XDG_CACHE_HOME and makes ~/.cache in the user's own home", async () => {
    requireBuild();
    const { dir, cleanup } = tempDir();
    try {
      const home = join(dir, "home");
      mkdirSync(home, { mode: 0o700 });
      expect(await probe(join(dir, "work"), undefined, ["--version"], { XDG_CACHE_HOME: "relative-cache", HOME: home })).toMatchObject({ code: 0, cache: "missing" });
      expect(cacheFiles(join(home, ".cache"))).toHaveLength(1);
      expect(statSync(join(home, ".cache")).mode & 0o777).toBe(0o700);
      expect(readdirSync(dir).sort()).toEqual(["home"]);
    } finally {
      cleanup();
    }
  });

  it("is not used when stack traces are to point into lexi's sources (--enable-source-maps)", async () => {
    requireBuild();
    const { dir, cleanup } = tempDir();
    try {
      expect(await probe(dir, undefined, ["--version"], { NODE_OPTIONS: "--enable-source-maps" })).toMatchObject({ code: 0, cache: "off" });
    } finally {
      cleanup();
    }
  });

  it("belongs to one build: a changed build compiles afresh, and only the newest caches are kept", async () => {
    requireBuild();
    const { dir, cleanup } = tempDir();
    try {
      const copy = join(dir, "lexi.cjs");
      // The copy cannot load lexi's dependencies: --version needs none.
      copyFileSync(join(ROOT, "dist/lexi.cjs"), copy);
      expect((await probe(dir, copy)).cache).toBe("missing");
      expect((await probe(dir, copy)).cache).toBe("used");
      // Another build of the same length and time (an upgrade unpacked with fixed file times).
      const { atime, mtime } = statSync(copy);
      const text = readFileSync(copy, "utf8");
      writeFileSync(copy, text.replace(/\d+\.\d+\.\d+/, (version) => version.replace(/\d$/, (digit) => String((Number(digit) + 1) % 10))));
      utimesSync(copy, atime, mtime);
      expect(readFileSync(copy, "utf8")).toHaveLength(text.length);
      expect((await probe(dir, copy)).cache).toBe("missing");
      for (let build = 1; build <= 5; build++) {
        writeFileSync(copy, `// rebuilt ${build}\n`, { flag: "a" });
        expect((await probe(dir, copy)).cache).toBe("missing");
        expect((await probe(dir, copy)).cache).toBe("used");
      }
      expect(cacheFiles(dir)).toHaveLength(4);
    } finally {
      cleanup();
    }
  });
});
