/**
 * What every `<group> import` command shares: the flags, a progress line, and Ctrl-C.
 */
import type { ImportSummary } from "../../services/import/import-records.js";
import type { KindImportOptions } from "../../services/intake-import.js";
import { withInterrupt } from "../interrupt.js";
import { withProgress } from "../output/progress.js";

export interface ImportCommandOptions {
  skipInvalid?: boolean;
  rejected?: string;
  resume?: boolean;
  strict?: boolean;
  json?: boolean;
}

export function runImport(what: string, options: ImportCommandOptions, run: (options: KindImportOptions) => Promise<ImportSummary>): Promise<ImportSummary> {
  return withInterrupt((signal) =>
    withProgress(`importing ${what}…`, options, (update) =>
      run({
        skipInvalid: options.skipInvalid,
        rejectedPath: options.rejected,
        resume: options.resume,
        strict: options.strict,
        signal,
        onProgress: (read) => update(`importing ${what}… ${read.toLocaleString("en")} read`),
      }),
    ),
  );
}
