/**
 * `lexi metrics import`, in a module of its own: the import pipeline it loads is no cost of
 * `metrics log`, which a CI job runs after every evaluation.
 */
import { importMetrics as importer } from "../../services/intake-import.js";
import { importCommand } from "./import-command.js";

export const importMetrics = importCommand("metrics", importer);
