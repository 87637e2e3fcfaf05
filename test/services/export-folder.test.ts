/**
 * The pieces that make an export's folder appear whole, in-process: the hidden names a kill can
 * leave (which the next run recognizes), a publication that is redone after a kill, the files
 * written only once, the test hook that stops an export at a phase, and how a killed process is
 * told from a live one.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { createTempFolder, planFolder, publishFolder } from "../../src/services/export/dataset-folder.js";
import { FileSink, StreamSink } from "../../src/services/export/output-file.js";
import { phaseBoundary } from "../../src/services/export/phase-hook.js";
import { processAlive } from "../../src/services/export/process-alive.js";
import { tempDir } from "../helpers/cli.js";

const { dir, cleanup } = tempDir();
afterAll(cleanup);
let n = 0;
const out = (name: string) => join(dir, `${++n}-${name}`);

describe("a dataset folder's plan", () => {
  it("names hidden folders beside the destination by this process and a random tag", () => {
    const destination = join(dir, "datasets", "grammar");
    const plan = planFolder(destination);
    const tag = `${process.pid}-[0-9a-f]{6}`;
    expect(plan.destination).toBe(destination);
    expect(dirname(plan.temp)).toBe(dirname(destination));
    expect(basename(plan.temp)).toMatch(new RegExp(`^\\.grammar\\.${tag}\\.tmp$`));
    expect(basename(plan.backup)).toBe(basename(plan.temp).replace(/\.tmp$/, ".old"));
    expect(planFolder(destination).temp).not.toBe(plan.temp);
  });

  it("is published whole, replacing what was there, and redone harmlessly", async () => {
    const destination = join(out("publish"), "dataset");
    const plan = planFolder(destination);
    await createTempFolder(plan);
    writeFileSync(join(plan.temp, "data.jsonl"), "new\n");
    mkdirSync(destination);
    writeFileSync(join(destination, "data.jsonl"), "old\n");
    await publishFolder(plan);
    expect(readFileSync(join(destination, "data.jsonl"), "utf8")).toBe("new\n");
    expect(readdirSync(dirname(destination))).toEqual(["dataset"]);
    await publishFolder(plan);
    expect(readFileSync(join(destination, "data.jsonl"), "utf8")).toBe("new\n");
  });

  it("finishes a publication killed after the earlier dataset was moved aside", async () => {
    const destination = join(out("moved-aside"), "dataset");
    const plan = planFolder(destination);
    await createTempFolder(plan);
    writeFileSync(join(plan.temp, "data.jsonl"), "new\n");
    mkdirSync(plan.backup);
    writeFileSync(join(plan.backup, "data.jsonl"), "old\n");
    await publishFolder(plan);
    expect(readdirSync(dirname(destination))).toEqual(["dataset"]);
    expect(readFileSync(join(destination, "data.jsonl"), "utf8")).toBe("new\n");
  });
});

describe("output files", () => {
  it("are written once: an existing file is never overwritten", async () => {
    const path = join(out("sink"), "data.jsonl");
    mkdirSync(dirname(path));
    writeFileSync(path, "precious\n");
    const sink = new FileSink(path);
    await expect(sink.commit()).rejects.toThrow(/EEXIST/);
    await expect(sink.write("more\n")).rejects.toThrow(/EEXIST/);
    // Once the stream has failed, a commit reports that failure instead of waiting for it.
    await expect(sink.commit()).rejects.toThrow(/EEXIST/);
    expect(readFileSync(path, "utf8")).toBe("precious\n");
  });

  it("return the checksum of what was written, on disk and on a stream", async () => {
    const path = join(out("sums"), "data.jsonl");
    mkdirSync(dirname(path));
    const text = ["a\n", "bc\n"];
    const file = new FileSink(path);
    const stream = new PassThrough();
    const received: string[] = [];
    stream.on("data", (chunk) => received.push(String(chunk)));
    const piped = new StreamSink(stream);
    for (const part of text) {
      await file.write(part);
      await piped.write(part);
    }
    const sha = createHash("sha256").update(text.join("")).digest("hex");
    expect(await file.commit()).toBe(sha);
    expect(await piped.commit()).toBe(sha);
    expect(readFileSync(path, "utf8")).toBe("a\nbc\n");
    expect(received.join("")).toBe("a\nbc\n");
  });
});

describe("the phase hook", () => {
  afterEach(() => {
    delete process.env.LEXI_TEST_EXPORT_PAUSE;
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it("does nothing unless asked to stop at that phase", async () => {
    process.env.LEXI_TEST_EXPORT_PAUSE = "written";
    await expect(phaseBoundary("staged")).resolves.toBeUndefined();
    delete process.env.LEXI_TEST_EXPORT_PAUSE;
    await expect(phaseBoundary("written")).resolves.toBeUndefined();
  });

  it("stops at the phase asked for, says so on stderr, and keeps the process alive to be killed", async () => {
    vi.useFakeTimers();
    const written: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => (written.push(String(chunk)), true));
    process.env.LEXI_TEST_EXPORT_PAUSE = "committed";
    let settled = false;
    void phaseBoundary("committed").then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(settled).toBe(false);
    expect(written).toEqual(["lexi-export-paused committed\n"]);
    expect(vi.getTimerCount()).toBe(1);
    vi.clearAllTimers();
  });
});

describe("a process", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("is alive while it runs, and not once it is gone", () => {
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(999_999_999)).toBe(false);
  });

  it("of another user counts as alive: it exists, it just may not be signalled", () => {
    vi.spyOn(process, "kill").mockImplementation(() => {
      throw Object.assign(new Error("operation not permitted"), { code: "EPERM" });
    });
    expect(processAlive(4242)).toBe(true);
  });
});
