import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { importJsonSchema, SCHEMA_KIND_NAMES, SCHEMA_KINDS, type SchemaKind } from "../../src/schema/json-schemas.js";
import { parseInput } from "../../src/services/validate.js";
import { ROOT } from "../helpers/cli.js";

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
const validator = (kind: SchemaKind) => ajv.compile(JSON.parse(readFileSync(join(ROOT, "docs/schemas", `${kind}.schema.json`), "utf8")));

/** The first ```json block of each `## <kind>` section of docs/import-formats.md. */
function documentedExamples(): Map<string, unknown> {
  const doc = readFileSync(join(ROOT, "docs/import-formats.md"), "utf8");
  const examples = new Map<string, unknown>();
  for (const section of doc.split(/^## /m).slice(1)) {
    const kind = section.slice(0, section.indexOf("\n")).trim();
    const block = /```json\n([\s\S]*?)\n```/.exec(section);
    if (block) examples.set(kind, JSON.parse(block[1]!));
  }
  return examples;
}

describe("published JSON Schemas", () => {
  it.each(SCHEMA_KIND_NAMES)("docs/schemas/%s.schema.json equals the one generated from the zod schema (regenerate: lexi schema <kind>)", (kind) => {
    const committed = readFileSync(join(ROOT, "docs/schemas", `${kind}.schema.json`), "utf8");
    expect(committed).toBe(`${JSON.stringify(importJsonSchema(kind), null, 2)}\n`);
  });

  it.each(SCHEMA_KIND_NAMES)("docs/import-formats.md shows a %s example that lexi and the schema both accept", (kind) => {
    const example = documentedExamples().get(kind);
    expect(example, `no json example under "## ${kind}"`).toBeDefined();
    expect(() => parseInput(SCHEMA_KINDS[kind].schema, example, kind)).not.toThrow();
    const validate = validator(kind);
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ["interactions", "examples/interactions.jsonl"],
    ["feedback", "examples/feedback.jsonl"],
    ["progress", "examples/progress.jsonl"],
  ] as const)("every line of the %s sample matches its schema", (kind, file) => {
    const validate = validator(kind);
    const lines = readFileSync(join(ROOT, file), "utf8").split("\n").filter(Boolean);
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(validate(JSON.parse(line)), JSON.stringify(validate.errors)).toBe(true);
  });

  it("the template sample matches its schema", () => {
    const validate = validator("template");
    expect(validate(JSON.parse(readFileSync(join(ROOT, "examples/export-template.json"), "utf8")))).toBe(true);
  });

  it("refuses what lexi refuses: a rating of 6, a level of X9, a feedback line without its interaction", () => {
    const feedback = validator("feedback");
    expect(feedback({ interaction_id: "i1", user_id: "u1", rating: 6 })).toBe(false);
    expect(feedback({ user_id: "u1", rating: 5 })).toBe(false);
    expect(validator("progress")({ user_id: "u1", level: "X9", fluency_score_avg: 0.5, grammar_accuracy: 0.5, vocabulary_count: 1 })).toBe(false);
    expect(validator("interactions")({ session_id: "s", user_id: "u", user_input: { text: "hi" }, analysis: { fluency_score: 0.5, vocabulary_level: "B1", tutor_response: "ok" }, timestamp: { $date: "2026-01-01T00:00:00Z" } })).toBe(true);
  });
});
