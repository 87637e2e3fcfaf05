import { idText } from "../../schema/common.js";

export function shortText(text: string, width = 48): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

export function formatDate(date: unknown): string {
  return date instanceof Date ? date.toISOString().replace("T", " ").slice(0, 16) : String(date ?? "");
}

export function formatScore(score: unknown): string {
  return typeof score === "number" ? score.toFixed(2) : "—";
}

/** A number for a table: whole numbers as they are, others to at most 4 decimals (3.1416, 0.5). */
export function formatNumber(value: unknown): string {
  return typeof value === "number" && !Number.isInteger(value) ? String(Number(value.toFixed(4))) : String(value ?? "");
}

export { idText };
