import { exportDataset, logInteraction, openStore, submitFeedback } from "lexi";

const store = await openStore(process.env.LEXI_DB ?? ".lexi/lexi.db");
try {
  const { interaction_id, queued } = await logInteraction(store, {
    session_id: "sess-42",
    user_id: "learner-7",
    user_input: { text: "I go to the library yesterday." },
    analysis: {
      fluency_score: 0.74,
      vocabulary_level: "A2",
      grammar_errors: [{ type: "verb_tense", error: "go", correction: "went", explanation: "Use the past simple for finished past actions." }],
      tutor_response: "Nice try! Say: I went to the library yesterday.",
    },
  });
  const { quality_score } = await submitFeedback(store, { interaction_id, user_id: "learner-7", rating: 5, helpful: true, accurate: true });
  const dataset = await exportDataset(store, { task_types: ["grammar"], format: "openai" }, { path: "datasets/grammar" });
  console.log(JSON.stringify({ interaction_id, queued, quality_score, records: dataset.counts.records }));
} finally {
  await store.close();
}
