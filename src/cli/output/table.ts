import { createRequire } from "node:module";
import type CliTable from "cli-table3";

let Table: typeof CliTable | undefined;

/**
 * A plain table for people; `--json` output never goes through here. cli-table3 loads on the
 * first table, so `--json` runs and commands that print one line (`metrics log`) skip its cost.
 */
export function renderTable(head: string[], rows: Array<Array<string | number>>): string {
  Table ??= createRequire(import.meta.url)("cli-table3") as typeof CliTable;
  const table = new Table({ head, style: { head: [], border: [], compact: true } });
  for (const row of rows) table.push(row.map((cell) => String(cell)));
  return table.toString();
}
