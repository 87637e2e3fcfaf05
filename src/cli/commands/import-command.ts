/**
 * What every `<group> import` command shares: the flags, a progress line, and Ctrl-C.
 */
import type { ImportProgress, ImportSummary } from "../../services/import/import-records.js";
import type { KindImportOptions } from "../../services/intake-import.js";
import type { Store } from "../../store/store.js";
import { importSource } from "../input.js";
import { withInterrupt } from "../interrupt.js";
import { renderImport } from "../output/import-summary.js";
import { withProgress } from "../output/progress.js";
import { stageLine } from "../output/stage-line.js";
import { defineCommand, type CommandSpec } from "../spec.js";

/** "12,000 read · writing 4/19 MB · 30s left": records, then bytes of the input (no total for a pipe). */
function importProgressLine(): (progress: ImportProgress) => string {
  const line = stageLine();
  return ({ stage, records, bytes, totalBytes }) =>
    `${records.toLocaleString("en")} read · ${line(stage, megabytes(bytes), totalBytes === undefined ? undefined : Math.max(1, megabytes(totalBytes)), "MB")}`;
}

const megabytes = (bytes: number) => Math.round(bytes / 1_048_576);

type Importer = (store: Store, source: ReturnType<typeof importSource>, options: KindImportOptions) => Promise<ImportSummary>;

/** `<group> import <file|->`: the same flags for every kind of record. */
export function importCommand(what: string, importer: Importer): CommandSpec {
  return defineCommand({
    flags: [
      { flags: "--skip-invalid", description: "write the valid records and save the rejected ones with their reasons" },
      { flags: "--rejected <file>", description: "where --skip-invalid saves rejected records (default: <file>.rejected.jsonl)" },
      { flags: "--resume", description: "commit batch by batch; after an interrupt, the same command with --resume continues where it stopped" },
      { flags: "--strict", description: "refuse the import (nothing written) when a record has a field its format does not know; by default such fields are kept and listed" },
    ],
    run: ({ store, args, options, json }) => {
      const importProgressText = importProgressLine();
      return withInterrupt((signal) =>
        withProgress(`importing ${what}…`, { json }, (update) =>
          importer(store, importSource(args[0]!), {
            skipInvalid: options.skipInvalid as boolean | undefined,
            rejectedPath: options.rejected as string | undefined,
            resume: options.resume as boolean | undefined,
            strict: options.strict as boolean | undefined,
            signal,
            onProgress: (progress) => update(`importing ${what}… ${importProgressText(progress)}`),
          }),
        ),
      );
    },
    render: renderImport,
  }) as CommandSpec;
}
