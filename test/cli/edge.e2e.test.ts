/**
 * The command line under careless use and interrupts (issue 17, items 1, 2, 8, 10), run as a user
 * would: the built binary, a real terminal for Ctrl-C.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LEXI_BIN, requireBuild, runLexi, tempDir } from "../helpers/cli.js";
import { demoInteractions } from "../helpers/fixtures.js";
import { TmuxSession } from "../helpers/tmux.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";

const { dir, cleanup } = tempDir("lexi-edge-");
const db = join(dir, "lexi.db");
const jsonl = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join("\n") + "\n";
const lexi = (args: string[], options: { input?: string } = {}) => runLexi(["--db", db, ...args], { cwd: dir, ...options });
async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 60_000, pollMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("the condition never held");
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
const checkpointed = async (store: Store) => (await store.collection("import_runs").countDocuments({})) > 0;
const interactionCount = async () => JSON.parse((await lexi(["status", "--json"])).stdout).collections.find((c: { name: string }) => c.name === "ai_interactions").count as number;

beforeAll(async () => {
  requireBuild();
  expect((await lexi(["init"])).code).toBe(0);
  writeFileSync(join(dir, "big.jsonl"), jsonl(demoInteractions(40_000)));
});
afterAll(cleanup);

describe("exit codes for user mistakes and conditions of the machine", () => {
  it.each([
    [["interactions", "import", "."], 2, /is a folder/],
    [["interactions", "import", "missing.jsonl"], 2, /missing.jsonl does not exist/],
    [["serve", "--port", "99999"], 2, /--port must be a whole number from 0 to 65535/],
    [["serve", "--body-limit", "-1"], 2, /--body-limit must be a whole number/],
    [["serve", "--rate-limit", "-5"], 2, /--rate-limit must be a whole number/],
  ])("lexi %j exits %i with a message that says what to do", async (args, code, message) => {
    const result = await lexi(args);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain("unexpected error");
  });

  it("exits 2 when the port is in use", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await lexi(["serve", "--port", String(port)]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/already in use: stop the other server or choose another --port/);
    } finally {
      blocker.close();
    }
  });

  it("exits 5 for a file that is not a database, and never creates a store for a mistyped --db", async () => {
    writeFileSync(join(dir, "notes.txt"), "not a database at all, just some text that is long enough to have a header".repeat(20));
    const notDb = await runLexi(["--db", join(dir, "notes.txt"), "status"], { cwd: dir });
    expect(notDb.code).toBe(5);
    expect(notDb.stderr).toMatch(/not a lexi database/);

    const typo = await runLexi(["--db", join(dir, "lexi.bd"), "interactions", "list"], { cwd: dir });
    expect(typo.code).toBe(5);
    expect(typo.stderr).toMatch(/no store at .*lexi\.bd: create one with `lexi init` \(or pass --create\)/);
    expect(existsSync(join(dir, "lexi.bd"))).toBe(false);
    expect((await runLexi(["--db", join(dir, "nope/deeper/x.db"), "status"], { cwd: dir })).code).toBe(5);
    expect(existsSync(join(dir, "nope"))).toBe(false);

    const created = await runLexi(["--db", join(dir, "fresh.db"), "status", "--create"], { cwd: dir });
    expect(created.code).toBe(0);
    expect(created.stderr).toContain(`created a new store at ${join(dir, "fresh.db")}`);
  });

  it("keeps the quick start working on a fresh machine: seed creates the store", async () => {
    const { dir: fresh, cleanup: done } = tempDir("lexi-fresh-");
    try {
      const seeded = await runLexi(["seed", "--interactions", "50", "--users", "5"], { cwd: fresh });
      expect(seeded.code).toBe(0);
      expect(seeded.stderr).toContain("created a new store at");
      expect((await runLexi(["export", "--task", "grammar"], { cwd: fresh })).code).toBe(0);
    } finally {
      done();
    }
  });
});

describe("the rejects file is guarded", () => {
  it("refuses the input, the store, a device, a folder and a planted symlink, before writing anything", async () => {
    const records: unknown[] = demoInteractions(5, 31);
    records[2] = { broken: true };
    const input = join(dir, "guard.jsonl");
    writeFileSync(input, jsonl(records));
    const original = readFileSync(input, "utf8");
    writeFileSync(join(dir, "victim.txt"), "keep me");
    symlinkSync(join(dir, "victim.txt"), join(dir, "planted.jsonl"));
    const before = await interactionCount();
    for (const [target, why] of [
      [input, "is the input file"],
      [db, "is the store"],
      [`${db}-wal`, "is the store"],
      ["/dev/null", "is a device or special file"],
      [dir, "is a folder"],
      [join(dir, "planted.jsonl"), "is a symbolic link"],
      [join(dir, "no/such/folder/r.jsonl"), "does not exist"],
    ]) {
      const result = await lexi(["interactions", "import", input, "--skip-invalid", "--rejected", target!]);
      expect(result.code, target).toBe(2);
      expect(result.stderr).toContain(why);
    }
    expect(readFileSync(input, "utf8")).toBe(original);
    expect(readFileSync(join(dir, "victim.txt"), "utf8")).toBe("keep me");
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
    expect(await interactionCount()).toBe(before);
  }, 180_000);

  it("an unwritable rejects folder is a clear error, and nothing is written", async () => {
    if (process.getuid?.() === 0) {
      console.log("skipped the permission part: running as root, which may write anywhere");
      return;
    }
    const locked = join(dir, "locked");
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    const input = join(dir, "guard.jsonl");
    const before = await interactionCount();
    const result = await lexi(["interactions", "import", input, "--skip-invalid", "--rejected", join(locked, "r.jsonl")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/permission denied/);
    expect(await interactionCount()).toBe(before);
  });
});

describe("interrupts", () => {
  const tmuxAvailable = spawnSync("tmux", ["-V"]).status === 0;

  it("Ctrl-C in a real terminal stops an import waiting on a pipe within a second: exit 130, one line, nothing written", { timeout: 120_000 }, async () => {
    if (!tmuxAvailable) {
      console.log("skipped: tmux is not installed");
      return;
    }
    const before = await interactionCount();
    // A FIFO that sends 3,000 records and then stays open: the import has read them and waits for more.
    execFileSync("mkfifo", [join(dir, "feed.jsonl")]);
    writeFileSync(join(dir, "part.jsonl"), jsonl(demoInteractions(3000, 11)));
    const name = `lexi-edge-${process.pid}`;
    const feeders = "sleep 120 > feed.jsonl & cat part.jsonl > feed.jsonl &";
    const session = TmuxSession.start(name, `${feeders} node ${LEXI_BIN} --db ${db} interactions import feed.jsonl`, dir);
    try {
      await session.waitFor(/importing interactions… 3,000 read/, 60_000);
      const pressed = Date.now();
      session.keys("C-c");
      const screen = await session.waitFor(/exit=\d+/, 10_000);
      expect(Date.now() - pressed).toBeLessThan(3000);
      expect(screen).toContain("exit=130");
      expect(screen).toMatch(/lexi: interaction import interrupted after 3000 records: nothing was written/);
    } finally {
      session.kill();
    }
    expect(await interactionCount()).toBe(before);
  });

  it("SIGINT stops a seed: exit 130 and nothing written; SIGTERM an import with --resume keeps its batches and the rerun completes", async () => {
    const seedDb = join(dir, "seed.db");
    const child = spawn(process.execPath, [LEXI_BIN, "--db", seedDb, "seed", "--interactions", "200000", "--users", "50"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    // Once the seed's transaction is writing, its Ctrl-C handler is in place.
    await waitFor(() => existsSync(`${seedDb}-wal`) && statSync(`${seedDb}-wal`).size > 1_000_000);
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(130);
    expect(stderr).toContain("seed interrupted: nothing was written");
    const status = await runLexi(["--db", seedDb, "status", "--json"], { cwd: dir });
    expect(JSON.parse(status.stdout).collections.every((c: { count: number }) => c.count === 0)).toBe(true);

    const before = await interactionCount();
    const resumable = spawn(process.execPath, [LEXI_BIN, "--db", db, "interactions", "import", "big.jsonl", "--resume"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let resumeErr = "";
    resumable.stderr.on("data", (chunk) => (resumeErr += chunk));
    // Stop it once its first batch has committed (the checkpoint is written with each batch).
    const observer = await openStore(db, { ensureIndexes: false });
    try {
      await waitFor(() => checkpointed(observer), 240_000, 5).catch((error: unknown) => {
        resumable.kill("SIGKILL");
        throw error;
      });
    } finally {
      await observer.close();
    }
    resumable.kill("SIGTERM");
    expect(await new Promise((resolve) => resumable.on("close", resolve))).toBe(130);
    expect(resumeErr).toMatch(/records up to line \d+ are stored; run the same command with --resume to continue/);
    const rerun = await lexi(["interactions", "import", "big.jsonl", "--resume", "--json"]);
    expect(rerun.code).toBe(0);
    expect(await interactionCount()).toBe(before + 40_000);
  }, 300_000);
});

describe("a full disk", () => {
  it("is exit 5 with a message, for the store and for the rejects file, and nothing is half-written", { timeout: 180_000 }, async () => {
    const mount = join(dir, "tiny");
    mkdirSync(mount);
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", mount], { stdio: "ignore" });
    } catch {
      console.log("skipped: cannot mount a small tmpfs here (needs root and mount permission)");
      return;
    }
    try {
      const tinyDb = join(mount, "lexi.db");
      expect((await runLexi(["--db", tinyDb, "init"], { cwd: dir })).code).toBe(0);
      const full = await runLexi(["--db", tinyDb, "interactions", "import", join(dir, "big.jsonl")], { cwd: dir });
      expect(full.code).toBe(5);
      expect(full.stderr).toMatch(/disk is full; nothing was written/);
      const status = await runLexi(["--db", tinyDb, "status", "--json"], { cwd: dir });
      expect(JSON.parse(status.stdout).collections.every((c: { count: number }) => c.count === 0)).toBe(true);

      writeFileSync(join(mount, "filler"), Buffer.alloc(0));
      execFileSync("sh", ["-c", `cat /dev/zero > ${join(mount, "filler")} 2>/dev/null || true`]);
      const input = join(dir, "disk.jsonl");
      writeFileSync(input, jsonl([...demoInteractions(3, 41), { broken: true }]));
      const before = await interactionCount();
      const rejects = await lexi(["interactions", "import", input, "--skip-invalid", "--rejected", join(mount, "r.jsonl")]);
      expect(rejects.code).toBe(5);
      expect(rejects.stderr).toMatch(/the disk is full: free some space/);
      expect(await interactionCount()).toBe(before);
    } finally {
      execFileSync("umount", [mount], { stdio: "ignore" });
    }
  });
});
