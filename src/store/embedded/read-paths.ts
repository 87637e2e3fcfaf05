/**
 * Which way the embedded engine answered each read, published on a diagnostics channel so that a
 * benchmark or a test can see a service's query fall off a fast path (a sort done in memory, a
 * group run by mingo over decoded documents). Free when nobody subscribes.
 */
import { channel } from "node:diagnostics_channel";

/** How the rows were found and in which order they came. */
export type ScanPath = "id lookup" | "insertion order" | "index order" | "sorted in memory";
/** How an aggregation's `$group` ran, when it has one after its leading `$match`. */
export type GroupPath = "sql" | "decoded rows" | "pipeline";

export interface ReadEvent {
  collection: string;
  operation: string;
  scan: ScanPath;
  /** The SQL answered the filter exactly: mingo tested no row. */
  exact: boolean;
  group?: GroupPath;
  /** A group in SQL: the threads that folded its rows (two over a large table). */
  threads?: number;
}

export const READ_PATHS = channel("lexi:embedded:read");
