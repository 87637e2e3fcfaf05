/**
 * Operating-system errors (a missing file, a full disk, a port in use) as lexi's typed errors, so
 * the CLI answers with the documented exit code and a message that says what to do instead of
 * "unexpected error".
 */
import { InvalidInputError, LexiError, StoreUnavailableError } from "../../errors.js";

interface SystemError extends Error {
  code?: string;
  path?: string;
  syscall?: string;
  port?: number;
  address?: string;
}

/** What the user can do about each condition; the path is the user's own mistake → exit 2. */
const USAGE: Record<string, string> = {
  ENOENT: "does not exist",
  EISDIR: "is a folder, not a file",
  ENOTDIR: "has a part that is not a folder",
  ELOOP: "is a symbolic link (lexi does not follow links for files it writes)",
  ENAMETOOLONG: "is too long",
  EACCES: "is not accessible: permission denied (check the file's owner and mode)",
  EPERM: "is not accessible: operation not permitted (check the file's owner and mode)",
  EEXIST: "already exists",
};

/** Conditions of the machine rather than of the command → exit 5. */
const ENVIRONMENT: Record<string, string> = {
  ENOSPC: "the disk is full: free some space and run the command again",
  EDQUOT: "the disk quota is exhausted: free some space and run the command again",
  EROFS: "the file system is read-only",
  EIO: "an input/output error occurred (check the disk)",
  EMFILE: "too many open files (raise the limit with ulimit -n)",
};

/** The typed error for an operating-system error, or undefined when `error` is not one. */
export function fromSystemError(error: unknown): LexiError | undefined {
  if (error instanceof LexiError || !(error instanceof Error)) return undefined;
  const system = error as SystemError;
  const code = system.code;
  if (typeof code !== "string") return undefined;
  if (code === "EADDRINUSE") return new InvalidInputError(`port ${system.port ?? ""} on ${system.address ?? "this host"} is already in use: stop the other server or choose another --port`, { cause: error });
  if (code === "EADDRNOTAVAIL") return new InvalidInputError(`cannot listen on ${system.address ?? "that address"}: it is not an address of this machine (--host)`, { cause: error });
  if (code === "EACCES" && system.syscall === "listen") return new InvalidInputError(`not allowed to listen on port ${system.port ?? ""}: ports below 1024 need privileges; choose --port 1024 or higher`, { cause: error });
  const subject = system.path ? `${system.path}` : `${system.syscall ?? "a file operation"}`;
  if (ENVIRONMENT[code]) return new StoreUnavailableError(`${subject}: ${ENVIRONMENT[code]}`, { cause: error });
  if (USAGE[code] && system.syscall) return new InvalidInputError(`${subject} ${USAGE[code]}`, { cause: error });
  if (code === "SQLITE_NOTADB") return new StoreUnavailableError("the store file is not a lexi database (not SQLite); check --db or LEXI_DB", { cause: error });
  if (code.startsWith("SQLITE_")) return new StoreUnavailableError(`the embedded store failed: ${error.message}`, { cause: error });
  return undefined;
}
