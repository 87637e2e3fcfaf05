/**
 * Loads the `lexi` command (dist/lexi.cjs, one CommonJS file) through V8's code cache, so a
 * command starts without parsing and compiling lexi's code again: Node 20 keeps no such cache
 * itself. The first run of a build compiles as usual and, once its command is done, saves what
 * V8 compiled; later runs of the same build read it back (about 50 ms less per command). Each
 * command has its own cache, holding the code that command compiled: V8 reads a cache whole
 * before it runs anything, and one cache for all commands took 20 ms longer to read than
 * `lexi status`'s own.
 *
 * The caches live in `$XDG_CACHE_HOME/lexi` (or `~/.cache/lexi`), in a folder only its owner may
 * write, one file per build, Node version, V8 flags and command. V8 checks a cache only against the
 * source's length and trusts its bytes, so a cache is found by a digest of the source and read
 * only when its own digest matches: a damaged file is compiled over, never run. Anything wrong
 * (no home, a read-only disk, a folder owned by someone else) only means compiling as usual;
 * deleting the folder is always safe. With `--enable-source-maps` lexi is loaded as a plain
 * module, so stack traces point into its sources.
 */
"use strict";
const { createHash, hash } = require("node:crypto");
const { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require("node:fs");
const { createRequire } = require("node:module");
const { homedir } = require("node:os");
const { isAbsolute, join, sep } = require("node:path");
const { Script } = require("node:vm");

const CLI_FILE = join(__dirname, "../dist/lexi.cjs");
/** Builds whose caches are kept: the newest few, so two installs used in turn keep theirs. */
const KEPT_BUILDS = 4;
/** A cache file's name: the build's digest, then the command; `.commands` lists of older lexis belong to their build. */
const CACHE_FILE = /^code-([0-9a-f]{40})(?:-[a-z0-9-]*)?\.cache(?:\.commands)?$/;
/** A half-written file older than this belongs to a run that died. */
const ABANDONED_MS = 10 * 60_000;
const DIGEST_BYTES = 20;
/** The CommonJS wrapper, its first line apart so line numbers in stack traces are the file's. */
const WRAPPER_START = "(function (exports, require, module, __filename, __dirname) {\n";

/**
 * @param {string} cliFile
 * @param {string[]} argv the command line, whose command words tell whether the cache holds its code
 * @returns {{ main: (argv: string[]) => Promise<number>, cache: "used" | "rejected" | "missing" | "off", saveCache: () => void }}
 */
function loadCli(cliFile = CLI_FILE, argv = process.argv) {
  if (process.sourceMapsEnabled) return { main: require(cliFile).main, cache: "off", saveCache: () => undefined };
  // Read as bytes: the digest of the bytes costs a third of the digest of the decoded string.
  const bytes = readFileSync(cliFile);
  const source = bytes.toString("utf8");
  const cacheFile = cacheFileFor(bytes, commandOf(argv));
  const stored = cacheFile ? readIfPresent(cacheFile) : undefined;
  const cached = stored && intact(stored);
  const script = new Script(`${WRAPPER_START}${source}\n})`, { filename: cliFile, lineOffset: -1, cachedData: cached });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(cliFile), module, cliFile, join(cliFile, ".."));
  const cache = !cacheFile ? "off" : !stored ? "missing" : cached && script.cachedDataRejected === false ? "used" : "rejected";
  return {
    main: module.exports.main,
    cache,
    // After the command, the cache holds every function this process compiled.
    saveCache: () => {
      if (cache === "missing" || cache === "rejected") writeCache(cacheFile, script.createCachedData());
    },
  };
}

/** The words naming the command (`metrics log`): at most two, before the first option. */
function commandOf(argv) {
  const words = argv.slice(2);
  const options = words.findIndex((word) => word.startsWith("-"));
  return words
    .slice(0, options < 0 ? words.length : options)
    .slice(0, 2)
    .join(" ");
}

/**
 * The cache file of this source under this Node and its V8 flags (a cache made under other
 * flags is rejected) for this command, or undefined when there is no folder this user alone may
 * write.
 */
function cacheFileFor(sourceBytes, command) {
  try {
    const given = process.env.XDG_CACHE_HOME;
    // A relative XDG_CACHE_HOME is to be ignored (XDG Base Directory specification).
    const base = given && isAbsolute(given) ? given : join(homedir(), ".cache");
    const folder = join(base, "lexi");
    // Only folders of this user: lexi run by root with a user's HOME leaves that home alone.
    // Compiled code read from a folder another user can write would run as this user.
    if (!ownFolder(base) || !ownFolder(folder)) return undefined;
    const key = createHash("sha1")
      .update(sourceBytes)
      .update(JSON.stringify([process.version, process.arch, process.execArgv, process.env.NODE_OPTIONS ?? ""]))
      .digest("hex");
    // The command's words as a file name: letters, digits and dashes, not too long.
    const name = (command || "lexi").toLowerCase().replace(/[^a-z0-9]+/g, "-").slice(0, 40);
    return join(folder, `code-${key}-${name}.cache`);
  } catch {
    return undefined;
  }
}

function ownFolder(path) {
  try {
    const folder = statSync(path);
    if (typeof process.getuid !== "function") return folder.isDirectory();
    return folder.isDirectory() && folder.uid === process.getuid() && (folder.mode & 0o022) === 0;
  } catch (error) {
    if (error.code !== "ENOENT") return false;
  }
  // A missing folder is made in a folder of this user: lexi's own, or ~/.cache in this user's home.
  const parent = join(path, "..");
  const made = path.endsWith(`${sep}lexi`) ? parent : join(homedir(), ".cache") === path ? homedir() : undefined;
  if (made === undefined || !ownFolder(made)) return false;
  mkdirSync(path, { mode: 0o700 });
  return true;
}

/** The cached data, when its digest (the file's first bytes) matches it. */
function intact(stored) {
  const data = stored.subarray(DIGEST_BYTES);
  return data.length > 0 && hash("sha1", data, "buffer").equals(stored.subarray(0, DIGEST_BYTES)) ? data : undefined;
}

function readIfPresent(file) {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Writes the cache (its digest first), whole or not at all, and drops the caches of all but the
 * newest builds and any file a dead run left half-written.
 */
function writeCache(file, data) {
  try {
    const folder = join(file, "..");
    replaceFile(file, Buffer.concat([hash("sha1", data, "buffer"), data]));
    const now = Date.now();
    const builds = new Map();
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      const written = statSync(path).mtimeMs;
      if (name.endsWith(".partial") && now - written > ABANDONED_MS) rmSync(path, { force: true });
      const build = CACHE_FILE.exec(name)?.[1];
      if (!build) continue;
      const files = builds.get(build) ?? { newest: 0, paths: [] };
      files.newest = Math.max(files.newest, written);
      files.paths.push(path);
      builds.set(build, files);
    }
    const stale = [...builds.values()].sort((a, b) => b.newest - a.newest).slice(KEPT_BUILDS);
    for (const { paths } of stale) for (const path of paths) rmSync(path, { force: true });
  } catch {
    // No cache this time: the next command compiles as usual and tries again.
  }
}

/** Writes `file` whole or not at all: a new file renamed into place, removed if that fails. */
function replaceFile(file, data) {
  const partial = `${file}.${process.pid}.partial`;
  try {
    writeFileSync(partial, data, { mode: 0o600 });
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

module.exports = { loadCli };
