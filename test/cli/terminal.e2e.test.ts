/**
 * What a user sees at the terminal and in scripts: JSON errors under --json, a pipe closed early,
 * one name per thing, `interactions log`, and the reviewer's default name.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "../../src/services/seed.js";
import { openStore } from "../../src/store/open-store.js";
import { LEXI_BIN, requireBuild, runLexi, tempDir } from "../helpers/cli.js";

describe("lexi at the terminal and in scripts (built binary)", () => {
  const { dir, cleanup } = tempDir();
  const db = join(dir, "terminal.db");
  const lexi = (args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) => runLexi([...args, "--db", db], { cwd: dir, ...options });

  beforeAll(async () => {
    requireBuild();
    const store = await openStore(db);
    await seedDemoData(store, { users: 8, interactions: 400, seed: 9 });
    await store.close();
  });
  afterAll(cleanup);

  it.each([
    [["feedback", "add", "--interaction", "0123456789abcdef01234567", "--user", "u1", "--rating", "9", "--json"], 2, { error: "invalid_input", message: "invalid feedback: --rating: must be 1 to 5", details: [{ field: "--rating", reason: "must be 1 to 5" }] }],
    [["queue", "show", "0123456789abcdef01234567", "--json"], 3, { error: "not_found", message: "no training example with id 0123456789abcdef01234567", details: null }],
    [["queue", "list", "--bogus", "--json"], 2, { error: "usage", message: "unknown option '--bogus'" }],
    [["queue", "list", "--level", "Z9", "--json"], 2, { error: "invalid_input", message: expect.stringContaining("--level takes a CEFR level") }],
  ])("under --json, lexi %j exits %i with one JSON error on stderr and nothing on stdout", async (args, code, body) => {
    const result = await lexi(args);
    expect(result.code).toBe(code);
    expect(result.stdout).toBe("");
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject(body);
  });

  it("keeps the one-line text error without --json", async () => {
    const result = await lexi(["queue", "show", "0123456789abcdef01234567"]);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe("lexi: no training example with id 0123456789abcdef01234567\n");
  });

  it("ends quietly with exit 0 when the reader of standard output stops early (export --out - | head -2)", async () => {
    const child = spawn("bash", ["-c", `"${process.execPath}" "${LEXI_BIN}" export --min-quality 0 --no-dedup --out - --db "${db}" | head -2; echo "exit \${PIPESTATUS[0]}" >&2`], { cwd: dir, env: { ...process.env, LEXI_DB: "" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    await new Promise((resolve) => child.on("close", resolve));
    expect(stdout.trim().split("\n")).toHaveLength(2);
    // The export's own summary goes to stderr; no EPIPE, no "unexpected error", exit 0.
    expect(stderr).not.toMatch(/EPIPE|unexpected error/);
    expect(stderr.trim().split("\n").at(-1)).toBe("exit 0");
  });

  it("names the export id export_id in export --json and in the manifest, and the engine in status --json as in the manifest", async () => {
    const out = join(dir, "named");
    const exported = JSON.parse((await lexi(["export", "--min-quality", "0", "--out", out, "--json"])).stdout);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(exported.export_id).toBe(manifest.export_id);
    expect(exported).not.toHaveProperty("_id");
    const status = JSON.parse((await lexi(["status", "--json"])).stdout);
    expect(status.engine).toBe(manifest.engine);
    expect(status).not.toHaveProperty("backend");
    const listed = JSON.parse((await lexi(["exports", "list", "--json"])).stdout);
    expect(listed[0].export_id).toBe(exported.export_id);
  });

  it("queue validate takes the reviewer's name from git or $USER when --by is not given", async () => {
    const [item] = JSON.parse((await lexi(["queue", "list", "--status", "pending", "--min-quality", "0", "--limit", "1", "--json"])).stdout);
    const result = await lexi(["queue", "validate", item._id, "--reject", "--notes", "off topic"], { env: { USER: "reviewer-from-env", GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", GIT_CEILING_DIRECTORIES: dir } });
    expect(result.code).toBe(0);
    const shown = await lexi(["queue", "show", item._id]);
    expect(shown.stdout).toMatch(/rejected\s+reviewer-from-env — off topic/);
  });

  it("interactions log stores one interaction from flags, or from JSON on stdin, validated as an import line", async () => {
    const fromFlags = await lexi(["interactions", "log", "--session", "s-log", "--user", "u-log", "--text", "I go to school yesterday", "--response", "We say: I went to school yesterday.", "--fluency", "0.8", "--level", "b1", "--error", "verb_tense:I go=>I went", "--json"]);
    expect(fromFlags.code).toBe(0);
    const logged = JSON.parse(fromFlags.stdout);
    const shown = await lexi(["interactions", "show", logged.interaction_id]);
    expect(shown.stdout).toContain("Learner:  I go to school yesterday");
    expect(shown.stdout).toContain("[verb_tense] I go → I went");
    expect(shown.stdout).toContain("Level B1");

    const line = { session_id: "s-log", user_id: "u-log", user_input: { text: "She have two cats." }, analysis: { fluency_score: 0.6, vocabulary_level: "A2", tutor_response: "She has two cats." } };
    const fromStdin = await lexi(["interactions", "log", "-"], { input: JSON.stringify(line) });
    expect(fromStdin.code).toBe(0);
    const id = /^Logged interaction (\S+)$/m.exec(fromStdin.stdout)?.[1];
    expect(id).toBeDefined();
    expect(JSON.parse((await lexi(["interactions", "show", id!, "--json"])).stdout).user_input.text).toBe("She have two cats.");

    const missing = await lexi(["interactions", "log", "--session", "s-log", "--user", "u-log", "--fluency", "2"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--text:");
    expect(missing.stderr).toContain("--fluency: must be from 0 to 1");
    const help = await runLexi(["interactions", "--help"], { cwd: dir });
    expect(help.stdout).toMatch(/^\s+log \[json\]/m);
  });
});
