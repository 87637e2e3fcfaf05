/**
 * The corrected sentence at its edges: errors with punctuation or digits at either end, words
 * inside longer words, errors side by side, padded errors and corrections, and deletions.
 */
import { describe, expect, it } from "vitest";
import { correctedSentence } from "../../src/domain/corrected-sentence.js";

describe("corrected sentence edges", () => {
  it("finds errors holding characters that are special in a pattern", () => {
    expect(correctedSentence("I paid $5 (cash) for it.", [{ error: "$5 (cash)", correction: "5 dollars in cash" }])).toBe("I paid 5 dollars in cash for it.");
  });

  it("does not match a word inside a longer word, whether it starts with a letter or a digit", () => {
    expect(correctedSentence("Long ago I go home", [{ error: "go", correction: "went" }])).toBe("Long ago I went home");
    expect(correctedSentence("I have 15 apple and 5 apple", [{ error: "5 apple", correction: "5 apples" }])).toBe("I have 15 apple and 5 apples");
    expect(correctedSentence("Go to room 51, not room 5", [{ error: "room 5", correction: "room five" }])).toBe("Go to room 51, not room five");
  });

  it("matches an error that starts or ends with punctuation right against a word", () => {
    expect(correctedSentence("I said yes,and left", [{ error: ",and", correction: ", and" }])).toBe("I said yes, and left");
    expect(correctedSentence("I go,then stop", [{ error: "go,", correction: "went," }])).toBe("I went,then stop");
  });

  it("applies errors that touch each other, in either order", () => {
    expect(correctedSentence("He said:hello", [{ error: ":", correction: "," }, { error: "hello", correction: "Hello" }])).toBe("He said,Hello");
    expect(correctedSentence("He said:hello", [{ error: "hello", correction: "Hello" }, { error: ":", correction: "," }])).toBe("He said,Hello");
  });

  it("trims padded errors and corrections, and folds the spaces a deletion leaves", () => {
    expect(correctedSentence("I go home", [{ error: " go ", correction: " went " }])).toBe("I went home");
    expect(correctedSentence("I go home", [{ error: "go", correction: "went\n" }])).toBe("I went home");
    expect(correctedSentence("I very like it", [{ error: "very", correction: "" }])).toBe("I like it");
    expect(correctedSentence("So I go", [{ error: "So", correction: "" }])).toBe("I go");
  });
});
