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

  it("skips only the words an earlier correction took, on either side of them, in exact case and in any case", () => {
    // The exact "go" after the first correction wins over an earlier "Go" in another case.
    expect(correctedSentence("Go home, go now", [{ error: "home", correction: "house" }, { error: "go", correction: "went" }])).toBe("Go house, went now");
    // Only the case-blind pass finds "GO", after the first correction's words.
    expect(correctedSentence("I GO home", [{ error: "I", correction: "We" }, { error: "go", correction: "went" }])).toBe("We went home");
    // A correction's words before the earlier ones are found too.
    expect(correctedSentence("go and GO on", [{ error: "on", correction: "in" }, { error: "go", correction: "went" }])).toBe("went and GO in");
    expect(correctedSentence("Go and see", [{ error: "see", correction: "look" }, { error: "GO", correction: "Went" }])).toBe("Went and look");
    expect(correctedSentence("GO go on", [{ error: "on", correction: "in" }, { error: "go", correction: "went" }])).toBe("GO went in");
  });

  it("takes words that only touch an earlier correction's words, in exact case and in any case", () => {
    expect(correctedSentence("GO ab-go", [{ error: "ab-", correction: "cd-" }, { error: "go", correction: "went" }])).toBe("GO cd-went");
    expect(correctedSentence("GO go-ab", [{ error: "-ab", correction: "-cd" }, { error: "go", correction: "went" }])).toBe("GO went-cd");
    expect(correctedSentence("ab-GO", [{ error: "ab-", correction: "cd-" }, { error: "go", correction: "went" }])).toBe("cd-went");
    expect(correctedSentence("GO-ab", [{ error: "-ab", correction: "-cd" }, { error: "go", correction: "went" }])).toBe("went-cd");
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
