/**
 * The built `lexi export` under kill -9 at every phase boundary, two processes at once, and Ctrl-C
 * typed in a real terminal: no folder whose files disagree with its manifest, no example marked
 * by an export that is not recorded, no staging left behind once the next export ran.
 */
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemoData } from "../../src/domain/demo-data.js";
import type { ExportDoc } from "../../src/schema/export.js";
import { InteractionInput } from "../../src/schema/interaction.js";
import type { QueueItemDoc } from "../../src/schema/queue.js";
import { buildInteractionDoc } from "../../src/services/interactions.js";
import { buildQueueItem } from "../../src/services/queue-items.js";
import { COLLECTIONS } from "../../src/store/collections.js";
import { openStore } from "../../src/store/open-store.js";
import { LEXI_BIN, requireBuild, runLexi, tempDir } from "../helpers/cli.js";
import { TmuxSession } from "../helpers/tmux.js";
import { dataFiles } from "../helpers/export-files.js";

const { dir, cleanup } = tempDir();
/** The exports' own temp directory, so the test can see their staging folders. */
const tmp = join(dir, "tmp");
const template = join(dir, "template.db");
let copies = 0;

/** A queue of `items` examples from 40 learners, distinct texts. */
async function buildQueue(path: string, items: number): Promise<void> {
  const store = await openStore(path);
  const now = new Date();
  const [base] = generateDemoData({ users: 1, interactions: 1, days: 1, seed: 5, now }).interactions;
  const interaction = buildInteractionDoc(InteractionInput.parse(base), now);
  const docs = Array.from({ length: items }, (_, i) => ({
    ...buildQueueItem({ ...interaction, _id: `src-${i}` }, { tasks: ["grammar"], quality: 0.9, origin: "auto", now }),
    _id: `q-${String(i).padStart(6, "0")}`,
    user_id: `learner-${i % 40}`,
    user_input: `Sentence ${i} of a learner.`,
  }));
  await store.collection(COLLECTIONS.queue).insertMany(docs as never);
  await store.close();
}

function freshDb(): string {
  const path = join(dir, `copy-${++copies}.db`);
  copyFileSync(template, path);
  return path;
}

const env = { TMPDIR: tmp };
const lexi = (db: string, args: string[]) => runLexi(["--db", db, ...args], { cwd: dir, env });

/** Starts an export that stops at `phase` and kills it there with SIGKILL. */
async function killAt(db: string, phase: string, args: string[]): Promise<number> {
  const child = spawn(process.execPath, [LEXI_BIN, "--db", db, "export", ...args], { cwd: dir, env: { ...process.env, LEXI_DB: "", ...env, LEXI_TEST_EXPORT_PAUSE: phase }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  await new Promise<void>((resolve, reject) => {
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      if (stderr.includes(`lexi-export-paused ${phase}`)) resolve();
    });
    child.on("exit", () => reject(new Error(`export exited before ${phase}: ${stderr}`)));
  });
  const exited = new Promise((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
  child.kill("SIGKILL");
  expect(await exited).toBe("SIGKILL");
  return child.pid!;
}

async function readState(db: string) {
  const store = await openStore(db);
  const exports = await store.collection<ExportDoc>(COLLECTIONS.exports).find({}).toArray();
  const items = await store.collection<QueueItemDoc>(COLLECTIONS.queue).find({}).toArray();
  await store.close();
  return { exports, items };
}

/** Every example mark names a complete, recorded export; no example is in two. */
function expectHonestMarks(state: Awaited<ReturnType<typeof readState>>): void {
  const complete = new Set(state.exports.filter((e) => e.state === "complete").map((e) => e._id));
  for (const item of state.items) {
    expect(item.exports.length).toBeLessThanOrEqual(1);
    for (const id of item.exports) expect(complete.has(id)).toBe(true);
    expect(item.used_in_training).toBe(item.exports.length > 0);
  }
}

beforeAll(async () => {
  requireBuild();
  mkdirSync(tmp);
  await buildQueue(template, 3000);
}, 60_000);
afterAll(cleanup);

describe("kill -9 at each phase boundary of a split --mark-used export over a previous one", () => {
  it.each([
    ["staged", "previous"],
    ["written", "previous"],
    ["committed", "new"],
    ["moved-aside", "new"],
    ["published", "new"],
  ] as const)("killed once %s: the folder holds the %s export whole, and the lineage agrees", async (phase, expected) => {
    const db = freshDb();
    const out = `dataset-${phase}`;
    const previous = JSON.parse((await lexi(db, ["export", "--split", "0.8,0.1,0.1", "--out", out, "--json"])).stdout);
    const pid = await killAt(db, phase, ["--split", "0.5,0.5", "--seed", "2", "--mark-used", "--out", out, "--force"]);
    // The next command (any that reads the exports) finishes or undoes what the kill left.
    const verify = await lexi(db, ["exports", "verify", out, "--json"]);
    expect(verify.code).toBe(0);
    const report = JSON.parse(verify.stdout);
    const state = await readState(db);
    expectHonestMarks(state);
    if (expected === "previous") {
      expect(report.export_id).toBe(previous.export_id);
      expect(dataFiles(join(dir, out))).toEqual(["manifest.json", "test.jsonl", "train.jsonl", "validation.jsonl"]);
      expect(state.exports.map((e) => e._id)).toEqual([previous.export_id]);
      expect(state.items.filter((item) => item.used_in_training)).toHaveLength(0);
    } else {
      expect(report.export_id).not.toBe(previous.export_id);
      expect(dataFiles(join(dir, out))).toEqual(["manifest.json", "train.jsonl", "validation.jsonl"]);
      expect(state.exports.find((e) => e._id === report.export_id)?.state).toBe("complete");
      expect(state.exports.find((e) => e._id === previous.export_id)?.replaced_by).toBe(report.export_id);
      expect(state.items.filter((item) => item.exports.includes(report.export_id))).toHaveLength(3000);
    }
    expect(readdirSync(dir).filter((name) => name.startsWith(`.${out}.`))).toEqual([]);
    // The next export sweeps the killed one's staging folder from the temp directory.
    expect((await lexi(db, ["export", "--include-used", "--limit", "1", "--out", "-"])).code).toBe(0);
    expect(readdirSync(tmp).filter((name) => name.startsWith(`lexi-export-${pid}-`))).toEqual([]);
  }, 90_000);
});

describe("two --mark-used exports at once", () => {
  it("never hand out the same example: one wins, the other keeps nothing", async () => {
    const db = freshDb();
    const [a, b] = await Promise.all([
      lexi(db, ["export", "--mark-used", "--no-dedup", "--out", "race-a", "--json"]),
      lexi(db, ["export", "--mark-used", "--no-dedup", "--out", "race-b", "--json"]),
    ]);
    const codes = [a.code, b.code].sort();
    // The later one either lost the claim (4) or found nothing left (3).
    expect(codes[0]).toBe(0);
    expect([3, 4]).toContain(codes[1]);
    const winner = a.code === 0 ? "race-a" : "race-b";
    expect(existsSync(join(dir, winner === "race-a" ? "race-b" : "race-a"))).toBe(false);
    const state = await readState(db);
    expectHonestMarks(state);
    expect(state.exports).toHaveLength(1);
    expect(state.items.every((item) => item.exports.length === 1)).toBe(true);
    expect(readFileSync(join(dir, winner, "data.jsonl"), "utf8").trim().split("\n")).toHaveLength(3000);
  }, 90_000);
});

describe("interrupts", () => {
  let session: TmuxSession | undefined;
  const db = join(dir, "big.db");
  beforeAll(async () => {
    await buildQueue(db, 60_000);
  }, 120_000);
  afterAll(() => session?.kill());

  it("SIGINT while the used-marks are being committed takes them all back", async () => {
    const child = spawn(process.execPath, [LEXI_BIN, "--db", db, "export", "--mark-used", "--no-dedup", "--out", "sigint"], { cwd: dir, env: { ...process.env, LEXI_DB: "", ...env }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    // The manifest is the last file written before the commit starts.
    const manifestWritten = () => readdirSync(dir).some((name) => name.startsWith(".sigint.") && existsSync(join(dir, name, "manifest.json")));
    while (!manifestWritten()) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(stderr.trim()).toBe("lexi: export interrupted: nothing written, nothing marked as used");
    expect(readdirSync(dir).filter((name) => name.includes("sigint"))).toEqual([]);
    const state = await readState(db);
    expect(state.exports).toHaveLength(0);
    expect(state.items.filter((item) => item.used_in_training)).toHaveLength(0);
  }, 120_000);

  it("Ctrl-C in a real terminal stops the export with exit 130 and one line, keeping nothing", async () => {
    // The shell traps Ctrl-C (it reaches the whole foreground group) so it lives to print the exit code.
    const command = `trap true INT; TMPDIR=${tmp} LEXI_DB= ${process.execPath} ${LEXI_BIN} --db ${db} export --mark-used --no-dedup --out ctrl-c; echo "EXIT=$?"`;
    session = TmuxSession.start(`lexi-export-${process.pid}`, `sh -c '${command}'`, dir);
    await session.waitFor(/reading…|exporting…/, 30_000);
    session.keys("C-c");
    await session.waitFor(/EXIT=\d+/, 30_000);
    // With the scrollback: the spinner's last frame may have scrolled the message up.
    const screen = session.history();
    expect(screen).toContain("lexi: export interrupted: nothing written, nothing marked as used\nEXIT=130");
    expect(existsSync(join(dir, "ctrl-c"))).toBe(false);
    const state = await readState(db);
    expect(state.exports).toHaveLength(0);
    expect(state.items.filter((item) => item.used_in_training)).toHaveLength(0);
  }, 120_000);
});
