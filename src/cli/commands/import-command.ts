/**
 * What every `<group> import` command shares: the flags, a progress line, and Ctrl-C.
 */
import type { ImportOptions, ImportSummary } from "../../services/import/import-records.js";
import { withInterrupt } from "../interrupt.js";
import { withProgress } from "../output/progress.js";

export interface ImportCommandOptions {
  skipInvalid?: boolean;
  rejected?: string;
  resume?: boolean;
  json?: boolean;
}

export function runImport(what: string, options: ImportCommandOptions, run: (options: ImportOptions) => Promise<ImportSummary>): Promise<ImportSummary> {
  return withInterrupt((signal) =>
    withProgress(`importing ${what}…`, options, (update) =>
      run({
        skipInvalid: options.skipInvalid,
        rejectedPath: options.rejected,
        resume: options.resume,
        signal,
        onProgress: (read) => update(`importing ${what}… ${read.toLocaleString("en")} read`),
      }),
    ),
  );
}
