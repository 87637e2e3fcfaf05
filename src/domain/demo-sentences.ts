/**
 * Learner sentences for the demo data, by CEFR band: beginners (A1, A2) miss past tenses, third
 * person -s, articles and plurals; intermediate learners (B1, B2) prepositions, word order,
 * conditionals and the present perfect; advanced learners (C1, C2) collocations, uncountable
 * nouns and inversion. Every template fills several slots, so a large seed stays varied after
 * deduplication, and every tutor answer carries the corrected sentence.
 *
 * @example
 * const sample = sentenceFor("A2", new SeededRandom(1));
 * // { text: "My sister go to the market every Monday.", errors: [{ type: "subject_verb_agreement", … }], response: "Almost! …" }
 */
import type { CefrLevel } from "../schema/common.js";
import type { GrammarError } from "../schema/interaction.js";
import type { SeededRandom } from "./random.js";

export interface Sample {
  text: string;
  errors: GrammarError[];
  response: string;
}

type Band = "A" | "B" | "C";
type Template = (r: SeededRandom) => Sample;

const err = (type: string, error: string, correction: string, explanation: string): GrammarError => ({ type, error, correction, explanation });

const SINGULAR = ["She", "He", "My sister", "My brother", "Our teacher", "My friend Lan", "The manager", "My neighbour", "My grandmother", "Minh", "Hoa", "The new student", "My boss", "Our landlord", "My cousin Tuan", "The doctor"];
const PLURAL = ["My parents", "Our neighbours", "The children", "My classmates", "Lan and Minh", "My cousins", "The students", "Our guests"];
const PLACES = ["school", "work", "the park", "the library", "the gym", "the beach", "my aunt's house", "the cinema", "the market", "the museum", "the zoo", "the post office", "the swimming pool", "the hospital", "the supermarket", "the night market", "Hoan Kiem Lake", "the bookshop", "the bus station", "the dentist"];
const PAST_TIMES = ["yesterday", "last night", "last week", "on Monday", "two days ago", "this morning", "last summer", "after lunch", "at the weekend", "last month", "on Friday evening", "three weeks ago"];
const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "morning", "evening", "weekend"];
const CITIES = ["Hanoi", "Da Nang", "Hue", "Saigon", "Can Tho", "Hai Phong", "Nha Trang", "Da Lat", "this city", "the countryside", "a small town"];

/** Verbs with their forms and what they take; the slots multiply into many sentences. */
const VERBS: Array<{ base: string; past: string; third: string; objects: string[] }> = [
  { base: "go", past: "went", third: "goes", objects: PLACES.map((p) => `to ${p}`) },
  { base: "eat", past: "ate", third: "eats", objects: ["pho", "a banh mi", "fried rice", "some noodles", "a mango", "spring rolls", "breakfast", "dinner with my family"] },
  { base: "buy", past: "bought", third: "buys", objects: ["a new phone", "some vegetables", "a present for my mother", "two tickets", "a dictionary", "fresh fish", "a pair of shoes", "flowers"] },
  { base: "watch", past: "watched", third: "watches", objects: ["a football match", "a film", "the news", "a cooking show", "a documentary", "cartoons", "the sunset"] },
  { base: "visit", past: "visited", third: "visits", objects: ["my grandparents", "an old friend", "the temple", "my uncle", "a museum", "the old quarter", "my teacher"] },
  { base: "play", past: "played", third: "plays", objects: ["football", "badminton", "the guitar", "chess", "video games", "volleyball", "the piano"] },
  { base: "cook", past: "cooked", third: "cooks", objects: ["dinner", "a big meal", "fish soup", "chicken curry", "rice", "noodles for everyone"] },
  { base: "read", past: "read", third: "reads", objects: ["a book", "the newspaper", "a comic", "an email from work", "a long article", "my notes"] },
  { base: "write", past: "wrote", third: "writes", objects: ["a letter", "an email", "a short story", "my homework", "a report", "a birthday card"] },
  { base: "meet", past: "met", third: "meets", objects: ["my friends", "a new colleague", "my English teacher", "some tourists", "my neighbour", "the director"] },
  { base: "clean", past: "cleaned", third: "cleans", objects: ["my room", "the kitchen", "the house", "the windows", "the car", "the bathroom"] },
  { base: "study", past: "studied", third: "studies", objects: ["English", "maths", "for the exam", "at the library", "with my classmates", "grammar"] },
  { base: "take", past: "took", third: "takes", objects: ["the bus", "a taxi", "a photo", "a shower", "my dog for a walk", "a short break"] },
  { base: "see", past: "saw", third: "sees", objects: ["a beautiful bird", "my old teacher", "a big dog", "the fireworks", "an accident", "a rainbow"] },
];

const VOWEL_NOUNS = ["apple", "orange", "egg", "onion", "avocado", "umbrella", "ice cream", "omelette", "apricot", "email", "idea", "old bicycle", "elephant toy"];
const COUNT_NOUNS: Array<[string, string]> = [["brother", "brothers"], ["sister", "sisters"], ["cat", "cats"], ["book", "books"], ["child", "children"], ["friend", "friends"], ["bag", "bags"], ["box", "boxes"], ["class", "classes"], ["dog", "dogs"], ["room", "rooms"], ["lesson", "lessons"]];
const NUMBERS = ["two", "three", "four", "five", "six"];
/** A misspelled word in a sentence frame with its own slot. */
const MISSPELLINGS: Array<[string, string, (word: string, r: SeededRandom) => string]> = [
  ["recieved", "received", (w, r) => `${pick(r, SINGULAR)} ${w} a letter from ${pick(r, ["a friend", "the bank", "the school", "her cousin", "an old teacher"])}.`],
  ["freind", "friend", (w, r) => `My best ${w} lives near ${pick(r, PLACES)}.`],
  ["beautifull", "beautiful", (w, r) => `${pick(r, CITIES.slice(0, 8))} is a very ${w} place.`],
  ["tommorow", "tomorrow", (w, r) => `I will ${pick(r, VERBS).base} ${w} ${pick(r, ["morning", "afternoon", "evening"])}.`],
  ["realy", "really", (w, r) => `I am ${w} ${pick(r, ["tired", "hungry", "happy", "busy", "excited"])} today.`],
  ["diffrent", "different", (w, r) => `${pick(r, SINGULAR)} is in a ${w} ${pick(r, ["class", "team", "room", "group"])} now.`],
  ["untill", "until", (w, r) => `I work ${w} ${pick(r, ["six", "seven", "eight", "nine", "ten"])} o'clock.`],
  ["becaus", "because", (w, r) => `I stayed home ${w} ${pick(r, ["it was raining", "I was sick", "I was tired", "my son was ill"])}.`],
];

const pick = <T>(r: SeededRandom, items: readonly T[]): T => r.pick(items);
const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const OPENERS = ["Nice try!", "Almost!", "Good effort!", "Nearly there!", "Good sentence, with one small fix.", "Close!", "I understand you!"];
const reply = (r: SeededRandom, correct: string) => `${pick(r, OPENERS)} Say: ${correct}`;

const BEGINNER: Template[] = [
  (r) => {
    const verb = pick(r, VERBS);
    const object = pick(r, verb.objects);
    const time = pick(r, PAST_TIMES);
    const who = pick(r, ["I", "We", ...SINGULAR.slice(0, 6)]);
    const correct = `${who} ${verb.past} ${object} ${time}.`;
    return { text: `${who} ${verb.base} ${object} ${time}.`, errors: [err("verb_tense", verb.base, verb.past, "Use the past simple for finished past actions.")], response: reply(r, correct) };
  },
  (r) => {
    const verb = pick(r, VERBS);
    const who = pick(r, SINGULAR);
    const object = pick(r, verb.objects);
    const day = pick(r, DAYS);
    const correct = `${who} ${verb.third} ${object} every ${day}.`;
    return { text: `${who} ${verb.base} ${object} every ${day}.`, errors: [err("subject_verb_agreement", verb.base, verb.third, "After he, she or one person, add -s to the verb.")], response: reply(r, correct) };
  },
  (r) => {
    const who = pick(r, SINGULAR);
    const verb = pick(r, VERBS);
    const object = pick(r, verb.objects);
    const correct = `${who} doesn't ${verb.base} ${object}.`;
    return { text: `${who} don't ${verb.base} ${object}.`, errors: [err("subject_verb_agreement", "don't", "doesn't", "Third person singular takes 'doesn't'.")], response: reply(r, correct) };
  },
  (r) => {
    const noun = pick(r, VOWEL_NOUNS);
    const verb = pick(r, ["bought", "wanted", "found", "saw", "had", "got"]);
    const time = pick(r, PAST_TIMES);
    const place = pick(r, PLACES);
    const correct = `I ${verb} an ${noun} at ${place} ${time}.`;
    return { text: `I ${verb} a ${noun} at ${place} ${time}.`, errors: [err("article", `a ${noun}`, `an ${noun}`, "Use 'an' before a vowel sound.")], response: reply(r, correct) };
  },
  (r) => {
    const [one, many] = pick(r, COUNT_NOUNS);
    const number = pick(r, NUMBERS);
    const who = pick(r, ["I", "We", "My parents", "My aunt", "Our school", "My best friend"]);
    const has = who === "I" || who === "We" || who === "My parents" ? "have" : "has";
    const correct = `${who} ${has} ${number} ${many}.`;
    return { text: `${who} ${has} ${number} ${one}.`, errors: [err("other", `${number} ${one}`, `${number} ${many}`, "After a number above one, use the plural noun.")], response: reply(r, correct) };
  },
  (r) => {
    const [wrong, right, frame] = pick(r, MISSPELLINGS);
    const text = frame(wrong, r);
    return { text, errors: [err("spelling", wrong, right, `The spelling is '${right}'.`)], response: reply(r, text.replace(wrong, right)) };
  },
  (r) => {
    const who = pick(r, SINGULAR);
    const place = pick(r, PLACES);
    const correct = `${who} is at ${place} now.`;
    return { text: `${who} are at ${place} now.`, errors: [err("subject_verb_agreement", "are", "is", "One person takes 'is'.")], response: reply(r, correct) };
  },
];

const INTERMEDIATE: Template[] = [
  (r) => {
    const [wrong, right, rest] = pick(r, [
      ["arrived to", "arrived at", () => `${pick(r, ["the airport", "the station", "the hotel", "the office", "the party", "the meeting", "the concert"])} ${pick(r, ["late", "early", "on time", "at midnight", "in the rain"])}`],
      ["am interested on", "am interested in", () => pick(r, ["history", "photography", "Korean films", "climate change", "cooking", "politics", "space travel"])],
      ["depends of", "depends on", () => pick(r, ["the weather", "my schedule", "the price", "how tired I am", "my boss", "the traffic"])],
      ["am good in", "am good at", () => pick(r, ["maths", "drawing", "swimming", "remembering names", "cooking", "public speaking"])],
      ["listen music", "listen to music", () => pick(r, ["every evening", "on the bus", "while I study", "when I feel sad", "with my headphones"])],
      ["married with", "married to", () => pick(r, ["a doctor", "my best friend", "a teacher from Hue", "an engineer", "a musician"])],
    ] as Array<[string, string, () => string]>);
    const subject = wrong.startsWith("married") ? `${pick(r, SINGULAR)} is` : wrong.startsWith("depends") ? "It" : "I";
    const tail = rest();
    const text = `${subject} ${wrong} ${tail}.`;
    return { text, errors: [err("preposition", wrong, right, `We say '${right}'.`)], response: reply(r, `${subject} ${right} ${tail}.`) };
  },
  (r) => {
    const adverb = pick(r, ["Always", "Usually", "Often", "Never", "Sometimes", "Rarely"]);
    const verb = pick(r, VERBS);
    const object = pick(r, verb.objects);
    const after = pick(r, ["in the morning", "after work", "on Sundays", "before bed", "with my family", "when it rains"]);
    const correct = `I ${adverb.toLowerCase()} ${verb.base} ${object} ${after}.`;
    return { text: `${adverb} I ${verb.base} ${object} ${after}.`, errors: [err("word_order", `${adverb} I ${verb.base}`, `I ${adverb.toLowerCase()} ${verb.base}`, "Frequency adverbs go before the main verb.")], response: reply(r, correct) };
  },
  (r) => {
    const verb = pick(r, VERBS);
    const object = pick(r, verb.objects);
    const result = pick(r, ["call you", "send the report", "visit you", "fix it", "join the class", "help my sister", "finish the project", "come to the party"]);
    const correct = `If I have time, I'll ${verb.base} ${object} and ${result}.`;
    const text = `If I will have time, I ${verb.base} ${object} and ${result}.`;
    return {
      text,
      errors: [err("verb_tense", "will have", "have", "First conditional: present simple after 'if'."), err("verb_tense", `I ${verb.base}`, `I'll ${verb.base}`, "Use 'will' in the result clause.")],
      response: reply(r, correct),
    };
  },
  (r) => {
    const who = pick(r, SINGULAR);
    const years = pick(r, ["two", "three", "five", "ten", "many", "six"]);
    const city = pick(r, CITIES);
    const correct = `${who} has lived in ${city} for ${years} years.`;
    return { text: `${who} has lived in ${city} since ${years} years.`, errors: [err("preposition", `since ${years} years`, `for ${years} years`, "Use 'for' with a length of time, 'since' with a starting point.")], response: reply(r, correct) };
  },
  (r) => {
    const year = pick(r, ["2015", "2018", "2019", "2020", "2021", "last year", "January"]);
    const city = pick(r, CITIES);
    const [verb, perfect] = pick(r, [["live", "have lived"], ["work", "have worked"], ["study", "have studied"]] as const);
    const correct = `I ${perfect} in ${city} since ${year}.`;
    return { text: `I ${verb} in ${city} since ${year}.`, errors: [err("verb_tense", verb, perfect, "With 'since', use the present perfect.")], response: reply(r, correct) };
  },
  (r) => {
    const event = pick(r, ["lecture", "film", "meeting", "trip", "football match", "wedding speech", "training"]);
    const correct = `I was very bored during the ${event}.`;
    return { text: `I was very boring during the ${event}.`, errors: [err("other", "boring", "bored", "'Bored' is how you feel; 'boring' is what causes it.")], response: reply(r, correct) };
  },
  (r) => {
    const who = pick(r, PLURAL);
    const verb = pick(r, VERBS);
    const object = pick(r, verb.objects);
    const event = pick(r, ["it started raining", "the lights went out", "the phone rang", "the teacher came in", "we arrived"]);
    const ing = verb.base === "take" ? "taking" : verb.base === "write" ? "writing" : verb.base.endsWith("e") ? `${verb.base.slice(0, -1)}ing` : `${verb.base}ing`;
    const correct = `${who} were ${ing} ${object} when ${event}.`;
    return { text: `${who} was ${ing} ${object} when ${event}.`, errors: [err("subject_verb_agreement", `${who} was`, `${who} were`, "Plural subjects take 'were'.")], response: reply(r, correct) };
  },
  (r) => {
    const topic = pick(r, ["your opinion", "this plan", "the new rule", "what you said", "my teacher", "the decision", "her idea"]);
    const correct = `I agree with ${topic}.`;
    return { text: `I am agree with ${topic}.`, errors: [err("other", "am agree", "agree", "'Agree' is a verb; it needs no 'am'.")], response: reply(r, correct) };
  },
];

const ADVANCED: Template[] = [
  (r) => {
    const problem = pick(r, ["heavy rain", "the budget cuts", "the delay", "his injury", "the language barrier", "the power cut", "strong opposition"]);
    const outcome = pick(r, ["we finished the project on time", "the event went ahead", "she won the match", "they signed the contract", "the team met its targets"]);
    const correct = `Despite ${problem}, ${outcome}.`;
    return { text: `Despite of ${problem}, ${outcome}.`, errors: [err("preposition", "Despite of", "Despite", "'Despite' takes no 'of' (or use 'in spite of').")], response: reply(r, correct) };
  },
  (r) => {
    const topic = pick(r, ["the budget", "the new strategy", "the merger", "remote work", "the curriculum", "climate policy", "the launch date"]);
    const where = pick(r, ["in the meeting", "at length", "with the board", "over dinner", "during the seminar"]);
    const correct = `We discussed ${topic} ${where}.`;
    return { text: `We discussed about ${topic} ${where}.`, errors: [err("preposition", "discussed about", "discussed", "'Discuss' takes a direct object.")], response: reply(r, correct) };
  },
  (r) => {
    const [wrong, right, tail] = pick(r, [
      ["made a research", "did research", () => `on ${pick(r, ["urban migration", "language acquisition", "renewable energy", "consumer behaviour", "sleep patterns"])}`],
      ["did a mistake", "made a mistake", () => pick(r, ["in the final report", "during the presentation", "with the figures", "in my calculations"])],
      ["said a joke", "told a joke", () => pick(r, ["at the conference", "to break the ice", "during the interview"])],
      ["made my homework", "did my homework", () => pick(r, ["before the deadline", "on the train", "late at night"])],
    ] as Array<[string, string, () => string]>);
    const who = pick(r, ["I", "We", "Our team", "My colleague"]);
    const rest = tail();
    return { text: `${who} ${wrong} ${rest}.`, errors: [err("other", wrong, right, `The natural collocation is '${right}'.`)], response: reply(r, `${who} ${right} ${rest}.`) };
  },
  (r) => {
    const people = pick(r, ["people", "applicants", "visitors", "students", "complaints", "participants"]);
    const event = pick(r, ["conference", "exhibition", "workshop", "open day", "festival", "launch"]);
    const correct = `There were fewer ${people} at the ${event} than we had expected.`;
    return { text: `There were less ${people} at the ${event} than we had expected.`, errors: [err("other", `less ${people}`, `fewer ${people}`, "Use 'fewer' with countable nouns.")], response: reply(r, correct) };
  },
  (r) => {
    const [wrong, right] = pick(r, [["advices", "advice"], ["informations", "information"], ["equipments", "equipment"], ["feedbacks", "feedback"], ["researches", "research"]]);
    const who = pick(r, SINGULAR);
    const topic = pick(r, ["my career", "the application", "the new system", "investing", "the thesis", "public speaking"]);
    const correct = `${who} gave me a lot of useful ${right} about ${topic}.`;
    return { text: `${who} gave me many useful ${wrong} about ${topic}.`, errors: [err("other", `many useful ${wrong}`, `a lot of useful ${right}`, `'${capitalize(right)}' is uncountable.`)], response: reply(r, correct) };
  },
  (r) => {
    const who = pick(r, ["The consultant", "My supervisor", "The doctor", "Our lawyer", "The committee"]);
    const verb = pick(r, ["postpone", "review", "reconsider", "simplify", "cancel", "restructure"]);
    const thing = pick(r, ["the project", "the schedule", "the proposal", "the contract", "the whole process"]);
    const ing = verb.endsWith("e") ? `${verb.slice(0, -1)}ing` : `${verb}ing`;
    const correct = `${who} suggested ${ing} ${thing}.`;
    return { text: `${who} suggested to ${verb} ${thing}.`, errors: [err("verb_tense", `suggested to ${verb}`, `suggested ${ing}`, "'Suggest' is followed by an -ing form or a that-clause.")], response: reply(r, correct) };
  },
  (r) => {
    const subject = pick(r, ["The company", "The government", "The university", "Our team", "The app"]);
    const thing = pick(r, ["policy", "logo", "strategy", "name", "pricing", "priorities"]);
    const correct = `${subject} changed its ${thing} last year.`;
    return { text: `${subject} changed it's ${thing} last year.`, errors: [err("spelling", "it's", "its", "'It's' means 'it is'; the possessive is 'its'.")], response: reply(r, correct) };
  },
  (r) => {
    const event = pick(r, ["the phone rang", "it began to pour", "the alarm went off", "the guests arrived", "the meeting was cancelled"]);
    const verb = pick(r, ["arrived", "sat down", "started", "fallen asleep", "opened the door"]);
    const correct = `Hardly had I ${verb} when ${event}.`;
    return { text: `Hardly I had ${verb} when ${event}.`, errors: [err("word_order", "Hardly I had", "Hardly had I", "After a negative adverb at the start, invert subject and auxiliary.")], response: reply(r, correct) };
  },
];

const FLUENT: Record<Band, Template[]> = {
  A: [
    (r) => ({ text: `I like ${pick(r, ["pho", "green tea", "football", "music", "my cat", "rainy days"])} very much.`, errors: [], response: "Great sentence! Why do you like it?" }),
    (r) => ({ text: `My ${pick(r, ["mother", "father", "sister", "brother", "friend"])} works at ${pick(r, PLACES)}.`, errors: [], response: "Perfect! What does she or he do there?" }),
    (r) => ({ text: `Yesterday I ${pick(r, VERBS).past} ${pick(r, ["with my friends", "at home", "in the afternoon"])}.`, errors: [], response: "Well done, the past tense is right!" }),
  ],
  B: [
    (r) => ({ text: `Last weekend I visited ${pick(r, ["my grandparents", "an old friend", "my cousins", "a friend in Hue"])} and we ${pick(r, ["cooked a big dinner", "went hiking", "watched old films", "played cards"])} together.`, errors: [], response: "That sounds lovely! What else did you do?" }),
    (r) => ({ text: `I'm thinking about changing jobs because I'd like ${pick(r, ["a better work-life balance", "more responsibility", "to work closer to home", "a higher salary"])}.`, errors: [], response: "That's a thoughtful reason. What kind of job are you looking for?" }),
    (r) => ({ text: `Could you recommend a good ${pick(r, ["book", "podcast", "series", "app"])} for improving my ${pick(r, ["vocabulary", "listening", "pronunciation"])}?`, errors: [], response: "Sure! Graded material is a great start. What topics do you enjoy?" }),
  ],
  C: [
    (r) => ({ text: `Although the ${pick(r, ["film", "book", "lecture", "debate"])} was long, it kept me ${pick(r, ["interested", "engaged", "on the edge of my seat"])} until the very end.`, errors: [], response: "Great use of 'although'! What was it about?" }),
    (r) => ({ text: `Honestly, the ramifications of that ${pick(r, ["decision", "policy", "merger", "reform"])} were far more ${pick(r, ["profound", "serious", "damaging", "subtle"])} than anyone anticipated.`, errors: [], response: "Excellent vocabulary: that word fits perfectly here." }),
    (r) => ({ text: `Had we ${pick(r, ["known about the delay", "left earlier", "checked the forecast", "read the contract"])}, we would have ${pick(r, ["avoided the problem", "saved a lot of money", "caught the train", "planned differently"])}.`, errors: [], response: "A perfect third conditional with inversion!" }),
  ],
};

const TEMPLATES: Record<Band, Template[]> = { A: BEGINNER, B: INTERMEDIATE, C: ADVANCED };

/** Which band's mistakes a level makes: mostly its own, sometimes the one just below. */
const ERROR_BANDS: Record<CefrLevel, Array<[Band, number]>> = {
  A1: [["A", 1]],
  A2: [["A", 0.85], ["B", 0.15]],
  B1: [["B", 0.7], ["A", 0.3]],
  B2: [["B", 1]],
  C1: [["C", 0.75], ["B", 0.25]],
  C2: [["C", 1]],
};

const bandOf = (level: CefrLevel): Band => (level[0] as Band);

function pickBand(r: SeededRandom, level: CefrLevel): Band {
  let roll = r.next();
  for (const [band, share] of ERROR_BANDS[level]) {
    if (roll < share) return band;
    roll -= share;
  }
  return bandOf(level);
}

/** A learner turn for this level: fluent (more often at higher levels) or with its band's mistakes. */
export function sentenceFor(level: CefrLevel, r: SeededRandom, fluentChance: number): Sample {
  if (r.chance(fluentChance)) return pick(r, FLUENT[bandOf(level)])(r);
  return pick(r, TEMPLATES[pickBand(r, level)])(r);
}
