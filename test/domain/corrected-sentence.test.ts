import { describe, expect, it } from "vitest";
import { correctedSentence } from "../../src/domain/corrected-sentence.js";

describe("correctedSentence", () => {
  it("applies every correction where its words stand, as whole words", () => {
    expect(correctedSentence("Yesterday I go to the school and she go too.", [
      { error: "go", correction: "went" },
      { error: "she go", correction: "she went" },
    ])).toBe("Yesterday I went to the school and she went too.");
    expect(correctedSentence("I have a good book", [{ error: "a", correction: "an" }])).toBe("I have an good book");
    expect(correctedSentence("I am agree", [{ error: "am agree", correction: "agree" }])).toBe("I agree");
  });

  it("matches case only when the exact case is missing, and keeps non-Latin letters whole", () => {
    expect(correctedSentence("He Go home. he go out.", [{ error: "go", correction: "goes" }])).toBe("He Go home. he goes out.");
    expect(correctedSentence("He Go home.", [{ error: "go", correction: "goes" }])).toBe("He goes home.");
    expect(correctedSentence("Tôi đi học", [{ error: "đi", correction: "đã đi" }])).toBe("Tôi đã đi học");
  });

  it("does not guess when an error's words are not in the text, or two errors claim the same words", () => {
    expect(correctedSentence("I went home", [{ error: "goed", correction: "went" }])).toBeUndefined();
    expect(correctedSentence("good", [{ error: "go", correction: "went" }])).toBeUndefined();
    expect(correctedSentence("I go", [{ error: "go", correction: "went" }, { error: "go", correction: "going" }])).toBeUndefined();
    expect(correctedSentence("I go", [{ error: " ", correction: "x" }])).toBeUndefined();
  });

  it("leaves a sentence without errors as it is", () => {
    expect(correctedSentence("All good here.", [])).toBe("All good here.");
  });
});
