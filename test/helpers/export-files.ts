/**
 * The data files and manifest of an export folder, without the trainer files written beside them
 * (a dataset card and LLaMA-Factory's registry, checked by the preference export tests).
 */
import { readdirSync } from "node:fs";
import { TRAINER_FILES } from "../../src/domain/trainer-files.js";

export function dataFiles(folder: string): string[] {
  return readdirSync(folder)
    .filter((name) => !(TRAINER_FILES as readonly string[]).includes(name))
    .sort();
}
