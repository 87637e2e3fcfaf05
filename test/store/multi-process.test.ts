import { spawn } from "node:child_process";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import { requireBuild, ROOT, runNode, tempDir } from "../helpers/cli.js";

describe("embedded store shared by several OS processes", () => {
  const { dir, cleanup } = tempDir();
  beforeAll(requireBuild);
  afterAll(cleanup);

  it("keeps unique keys, loses no write and surfaces no lock error when two processes write at once", async () => {
    const path = join(dir, "shared.db");
    const writer = join(ROOT, "test/fixtures/contended-writer.mjs");
    const [a, b] = await Promise.all([runNode([writer, path, "a", "300"], { cwd: dir }), runNode([writer, path, "b", "300"], { cwd: dir })]);
    expect(a.stderr + b.stderr).toBe("");
    expect([a.code, b.code]).toEqual([0, 0]);
    const conflicts = JSON.parse(a.stdout).conflicts + JSON.parse(b.stdout).conflicts;
    const store = await openStore(path);
    const contended = store.collection("contended");
    expect(await contended.countDocuments({ who: "a", i: { $exists: true } })).toBe(300);
    expect(await contended.countDocuments({ who: "b", i: { $exists: true } })).toBe(300);
    expect(await contended.countDocuments({ key: { $regex: "^shared-" } })).toBe(300);
    expect(conflicts).toBe(300);
    expect((await contended.findOne({ _id: "counter" }))?.n).toBe(600);
    await store.close();
  });

  it("leaves a consistent store when a process is killed in the middle of a batch", async () => {
    const path = join(dir, "killed.db");
    const child = spawn(process.execPath, [join(ROOT, "test/fixtures/batch-writer.mjs"), path, "300000"], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    await new Promise<void>((resolve) => {
      child.stdout.on("data", (chunk) => {
        output += chunk;
        if (output.includes("ready")) resolve();
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    child.kill("SIGKILL");
    const signal = await new Promise((resolve) => child.on("close", (_code, sig) => resolve(sig)));
    expect(signal).toBe("SIGKILL");
    expect(output).not.toContain("done");
    const store = await openStore(path);
    expect(await store.collection("batch").countDocuments()).toBe(0);
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    db.close();
  });
});
