/**
 * Operating-system errors become the messages and exit codes a user sees (a missing file, a full
 * disk, a port in use), in-process: the CLI's end-to-end tests reach the same translation only in
 * child processes. Errors the machine can produce here are real; the ones it cannot (a full disk,
 * permission denied to root) are built as Node builds them.
 */
import { mkdirSync, writeFileSync, symlinkSync, constants } from "node:fs";
import { open, readFile, stat } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT_CODES } from "../../src/cli/exit-codes.js";
import { InvalidInputError, LexiError, NotFoundError } from "../../src/errors.js";
import { fromSystemError } from "../../src/services/files/system-errors.js";
import { importInteractions } from "../../src/services/intake-import.js";
import { openStore } from "../../src/store/open-store.js";
import { tempDir } from "../helpers/cli.js";

const { dir, cleanup } = tempDir("lexi-system-errors-");
afterAll(cleanup);

/** The error a failing call rejects with. */
const failure = (work: Promise<unknown>) => work.then(() => expect.unreachable("the call succeeded"), (error: unknown) => error as Error);

/** An error shaped as Node's own, for conditions this machine cannot produce on demand. */
function systemError(code: string, fields: { syscall?: string; path?: string; port?: number; address?: string } = {}): Error {
  return Object.assign(new Error(`${code}: ${fields.syscall ?? ""} ${fields.path ?? ""}`), { code, ...fields });
}

/** What the user sees: the message and the exit code of the typed error. */
function seen(error: unknown): { message: string; exit: number } | undefined {
  const typed = fromSystemError(error);
  return typed && { message: typed.message, exit: EXIT_CODES[typed.code] };
}

describe("a path the user got wrong is exit 2, with the path and what is wrong with it", () => {
  it("a missing file, a folder, a file used as a folder, a link, a long name, an existing file", async () => {
    const file = join(dir, "plain.txt");
    writeFileSync(file, "x");
    const folder = join(dir, "folder");
    mkdirSync(folder);
    symlinkSync(file, join(dir, "link.txt"));
    const long = join(dir, "n".repeat(5000));
    expect(seen(await failure(stat(join(dir, "missing.jsonl"))))).toEqual({ message: `${join(dir, "missing.jsonl")} does not exist`, exit: 2 });
    expect(seen(await failure(readFile(folder)))).toEqual({ message: "read is a folder, not a file", exit: 2 });
    expect(seen(await failure(stat(join(file, "inside"))))).toEqual({ message: `${join(file, "inside")} has a part that is not a folder`, exit: 2 });
    expect(seen(await failure(open(join(dir, "link.txt"), constants.O_RDONLY | constants.O_NOFOLLOW)))).toEqual({
      message: `${join(dir, "link.txt")} is a symbolic link (lexi does not follow links for files it writes)`,
      exit: 2,
    });
    expect(seen(await failure(stat(long)))).toEqual({ message: `${long} is too long`, exit: 2 });
    expect(seen(await failure(open(file, "wx")))).toEqual({ message: `${file} already exists`, exit: 2 });
  });

  it("permission denied and operation not permitted say to check the owner and mode", () => {
    expect(seen(systemError("EACCES", { syscall: "open", path: "/locked/r.jsonl" }))).toEqual({
      message: "/locked/r.jsonl is not accessible: permission denied (check the file's owner and mode)",
      exit: 2,
    });
    expect(seen(systemError("EPERM", { syscall: "rename", path: "/locked/r.jsonl" }))).toEqual({
      message: "/locked/r.jsonl is not accessible: operation not permitted (check the file's owner and mode)",
      exit: 2,
    });
  });

  it("keeps the original error as the cause", async () => {
    const original = await failure(stat(join(dir, "nowhere")));
    expect(fromSystemError(original)?.cause).toBe(original);
    expect(fromSystemError(original)).toBeInstanceOf(InvalidInputError);
  });

  it("an import of a missing file names it", async () => {
    const store = await openStore(":memory:");
    try {
      const error = await failure(importInteractions(store, { path: join(dir, "absent.jsonl") }));
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.message).toBe(`${join(dir, "absent.jsonl")} does not exist`);
    } finally {
      await store.close();
    }
  });
});

describe("a condition of the machine is exit 5, with what to do", () => {
  it.each([
    ["ENOSPC", "the disk is full: free some space and run the command again"],
    ["EDQUOT", "the disk quota is exhausted: free some space and run the command again"],
    ["EROFS", "the file system is read-only"],
    ["EIO", "an input/output error occurred (check the disk)"],
    ["EMFILE", "too many open files (raise the limit with ulimit -n)"],
  ])("%s", (code, advice) => {
    expect(seen(systemError(code, { syscall: "write", path: "/data/r.jsonl" }))).toEqual({ message: `/data/r.jsonl: ${advice}`, exit: 5 });
    // Without a path (a write to an open file) the operation is named instead; with neither, a generic subject.
    expect(seen(systemError(code, { syscall: "write" }))?.message).toBe(`write: ${advice}`);
    expect(seen(systemError(code))).toEqual({ message: `a file operation: ${advice}`, exit: 5 });
  });

  it("a store file that is not SQLite, and any other SQLite failure", () => {
    expect(seen(systemError("SQLITE_NOTADB"))).toEqual({ message: "the store file is not a lexi database (not SQLite); check --db or LEXI_DB", exit: 5 });
    const busy = Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
    expect(seen(busy)).toEqual({ message: "the embedded store failed: database is locked", exit: 5 });
  });
});

describe("listening on a port", () => {
  it("a port in use names the port and the address", async () => {
    const first = createServer();
    await new Promise<void>((resolve) => first.listen(0, "127.0.0.1", resolve));
    const { port } = first.address() as { port: number };
    const second = createServer();
    const error = await new Promise<Error>((resolve) => second.once("error", resolve).listen(port, "127.0.0.1"));
    first.close();
    expect(seen(error)).toEqual({ message: `port ${port} on 127.0.0.1 is already in use: stop the other server or choose another --port`, exit: 2 });
    expect(seen(systemError("EADDRINUSE"))?.message).toBe("port  on this host is already in use: stop the other server or choose another --port");
  });

  it("an address of another machine, and a privileged port", () => {
    expect(seen(systemError("EADDRNOTAVAIL", { syscall: "listen", address: "10.9.9.9" }))).toEqual({ message: "cannot listen on 10.9.9.9: it is not an address of this machine (--host)", exit: 2 });
    expect(seen(systemError("EADDRNOTAVAIL"))?.message).toBe("cannot listen on that address: it is not an address of this machine (--host)");
    expect(seen(systemError("EACCES", { syscall: "listen", port: 80, address: "0.0.0.0" }))).toEqual({
      message: "not allowed to listen on port 80: ports below 1024 need privileges; choose --port 1024 or higher",
      exit: 2,
    });
    expect(seen(systemError("EACCES", { syscall: "listen" }))?.message).toBe("not allowed to listen on port : ports below 1024 need privileges; choose --port 1024 or higher");
  });
});

describe("what is not an operating-system error stays as it is", () => {
  it("lexi's own errors, errors without a code, codes that are not text, unknown codes, and non-errors", () => {
    expect(fromSystemError(new NotFoundError("no interaction with id x"))).toBeUndefined();
    expect(fromSystemError(Object.assign(new InvalidInputError("bad"), { syscall: "open", path: "/x" }))).toBeUndefined();
    expect(fromSystemError(new Error("plain"))).toBeUndefined();
    expect(fromSystemError(Object.assign(new Error("numbered"), { code: 28, syscall: "write" }))).toBeUndefined();
    expect(fromSystemError(systemError("ECONNRESET", { syscall: "read" }))).toBeUndefined();
    expect(fromSystemError({ code: "ENOSPC", syscall: "write", message: "not an Error" })).toBeUndefined();
    expect(fromSystemError("ENOENT")).toBeUndefined();
  });

  it("a path condition without the system call that met it (a library's own code) is not taken for the user's path", () => {
    expect(fromSystemError(systemError("ENOENT", { path: "/x" }))).toBeUndefined();
    expect(fromSystemError(systemError("EEXIST"))).toBeUndefined();
  });

  it("a translated error is one of lexi's", () => {
    expect(fromSystemError(systemError("ENOSPC"))).toBeInstanceOf(LexiError);
  });
});

describe("the original error stays reachable as the cause, for debugging", () => {
  it.each([
    ["EADDRINUSE", { syscall: "listen", port: 8080 }],
    ["EADDRNOTAVAIL", { syscall: "listen", address: "10.9.9.9" }],
    ["EACCES", { syscall: "listen", port: 80 }],
    ["SQLITE_NOTADB", {}],
    ["SQLITE_CORRUPT", {}],
  ])("%s", (code, fields) => {
    const original = systemError(code, fields);
    expect(fromSystemError(original)?.cause).toBe(original);
  });

  it("a refusal to listen other than for privileges is not taken for a privileged port", () => {
    expect(fromSystemError(systemError("EINVAL", { syscall: "listen", port: 8080 }))).toBeUndefined();
  });
});
