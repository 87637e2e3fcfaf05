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

export { idText };
