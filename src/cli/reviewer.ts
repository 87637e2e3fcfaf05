/**
 * Who decides when `--by` is not given (review, queue validate, queue correct): the git user
 * name, else the login name.
 */
import { execFileSync } from "node:child_process";
import { userInfo } from "node:os";

export function defaultReviewer(): string {
  try {
    const name = execFileSync("git", ["config", "user.name"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    if (name) return name;
  } catch {
    // Not a git checkout or no git: fall back to the login name.
  }
  return process.env.USER || safeUserName();
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return "";
  }
}

export const BY_HELP = "git user.name, else $USER";
