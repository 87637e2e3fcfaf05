/**
 * Progress of long work as a user sees it: on a terminal the stage, done/total and the time left;
 * nothing when standard error is piped.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LEXI_BIN, requireBuild, runLexi, tempDir } from "../helpers/cli.js";
import { TmuxSession } from "../helpers/tmux.js";

describe("progress of lexi seed (built binary)", () => {
  const { dir, cleanup } = tempDir();
  beforeAll(requireBuild);
  afterAll(cleanup);

  it("shows the stage, done/total and the time left on a terminal", async () => {
    const session = TmuxSession.start(`lexi-progress-${process.pid}`, `${process.execPath} ${LEXI_BIN} seed --users 40 --interactions 6000 --db ${join(dir, "tty.db")}`, dir, { width: 120, height: 10 });
    try {
      const screen = await session.waitFor(/seeding: writing [\d,]+\/[\d,]+ records · (\d+h )?(\d+m )?\d+s left/, 60_000);
      const [, done, total] = /writing ([\d,]+)\/([\d,]+) records/.exec(screen)!;
      expect(Number(total!.replaceAll(",", ""))).toBeGreaterThan(6_000);
      expect(Number(done!.replaceAll(",", ""))).toBeLessThanOrEqual(Number(total!.replaceAll(",", "")));
      await session.waitFor("Seeded demo data", 120_000);
    } finally {
      session.kill();
    }
  }, 200_000);

  it("prints no progress when standard error is a pipe, with or without --json", async () => {
    for (const extra of [[], ["--json"]]) {
      const result = await runLexi(["seed", "--users", "5", "--interactions", "300", "--db", join(dir, `piped${extra.length}.db`), ...extra], { cwd: dir });
      expect(result.code).toBe(0);
      expect(result.stderr).not.toMatch(/seeding|writing|left/);
    }
  });
});
