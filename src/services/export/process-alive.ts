/**
 * Whether a process of this machine still runs: what tells a killed export's leftovers (named by
 * its pid) from a live export's.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
