/**
 * Loads the `lexi` command (dist/lexi.cjs, one CommonJS file) through V8's code cache, so a
 * command starts without parsing and compiling lexi's code again: Node 20 keeps no such cache
 * itself. The first run of a build compiles as usual and, once its command is done, saves what
 * V8 compiled; later runs of the same build read it back (about 50 ms less per command). The
 * first run of each other command adds the code it compiled (a file beside the cache lists the
 * commands it holds), so every command starts from its own compiled code.
 *
 * The cache lives in `$XDG_CACHE_HOME/lexi` (or `~/.cache/lexi`), a folder only its owner may
 * read, one file per build and Node version. Anything wrong with it (no home, a read-only disk,
 * a folder owned by someone else, a file V8 rejects) only means compiling as usual; deleting
 * the folder is always safe.
 */
"use strict";
const { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require("node:fs");
const { createRequire } = require("node:module");
const { homedir } = require("node:os");
const { join } = require("node:path");
const { Script } = require("node:vm");

const CLI_FILE = join(__dirname, "../dist/lexi.cjs");
/** Caches kept in the folder: the newest few, so two installs used in turn keep theirs. */
const KEPT_CACHES = 4;

/**
 * @param {string} cliFile
 * @param {string[]} argv the command line, whose command words tell whether the cache holds its code
 * @returns {{ main: (argv: string[]) => Promise<number>, cache: "used" | "rejected" | "missing" | "off", saveCache: () => void }}
 */
function loadCli(cliFile = CLI_FILE, argv = process.argv) {
  const source = readFileSync(cliFile, "utf8");
  const cacheFile = cacheFileFor(cliFile);
  const cached = cacheFile ? readIfPresent(cacheFile) : undefined;
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: cliFile,
    cachedData: cached,
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(cliFile), module, cliFile, join(cliFile, ".."));
  const cache = !cacheFile ? "off" : !cached ? "missing" : script.cachedDataRejected ? "rejected" : "used";
  const command = commandOf(argv);
  const held = cache === "used" ? readIfPresent(`${cacheFile}.commands`)?.toString("utf8").split("\n") ?? [] : [];
  return {
    main: module.exports.main,
    cache,
    // After a command, the cache holds every function this process compiled or read from the
    // cache: the code of the commands it held, and this one's.
    saveCache: () => {
      if (cache === "off" || held.includes(command)) return;
      writeCache(cacheFile, script.createCachedData(), [...held, command]);
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

/** The cache file of this build under this Node, or undefined when there is no usable folder. */
function cacheFileFor(cliFile) {
  try {
    const folder = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "lexi");
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    // Compiled code read from a folder another user can write would run as this user.
    const owner = statSync(folder);
    if (typeof process.getuid === "function" && (owner.uid !== process.getuid() || (owner.mode & 0o022) !== 0)) return undefined;
    // V8 checks a cache against the source's length only: the build's file, size and time tell builds apart.
    const build = statSync(cliFile);
    return join(folder, `code-${[build.dev, build.ino, build.size, Math.trunc(build.mtimeMs), process.version, process.arch].join("-")}.cache`);
  } catch {
    return undefined;
  }
}

function replaceFile(file, data) {
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, data, { mode: 0o600 });
  renameSync(partial, file);
}

function readIfPresent(file) {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Writes the cache and the list of commands it holds, each whole or not at all (a file renamed
 * into place), and drops all but the newest caches.
 */
function writeCache(file, data, commands) {
  try {
    const folder = join(file, "..");
    replaceFile(file, data);
    replaceFile(`${file}.commands`, commands.join("\n"));
    const caches = readdirSync(folder)
      .filter((name) => name.startsWith("code-") && name.endsWith(".cache"))
      .map((name) => ({ path: join(folder, name), written: statSync(join(folder, name)).mtimeMs }))
      .sort((a, b) => b.written - a.written);
    for (const stale of caches.slice(KEPT_CACHES)) {
      rmSync(stale.path, { force: true });
      rmSync(`${stale.path}.commands`, { force: true });
    }
  } catch {
    // No cache this time: the next command compiles as usual and tries again.
  }
}

module.exports = { loadCli };
