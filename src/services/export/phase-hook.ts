/**
 * A test hook at the boundaries between an export's phases. With LEXI_TEST_EXPORT_PAUSE=<phase>
 * the export prints "lexi-export-paused <phase>" on stderr and waits there forever, so a test can
 * kill it with SIGKILL at exactly that point. Without the variable it does nothing.
 */
export type ExportPhase = "staged" | "written" | "committed" | "moved-aside" | "published";

export async function phaseBoundary(phase: ExportPhase): Promise<void> {
  if (process.env.LEXI_TEST_EXPORT_PAUSE !== phase) return;
  process.stderr.write(`lexi-export-paused ${phase}\n`);
  await new Promise(() => setInterval(() => undefined, 60_000));
}
