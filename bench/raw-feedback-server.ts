/**
 * The floor for the HTTP feedback benchmark: the same feedback transaction written by hand as
 * SQL over a lexi store file, in a bare fastify server (no validation, no auth, no lexi), with the
 * same group commit as lexi (requests of one event-loop turn share a COMMIT, each in a savepoint,
 * none answered before it). Lookups read lexi's hot columns through plain indexes of their own
 * (earlier it matched `json_extract` of every verdict, a scan that grew with each answer). It
 * shows how much of a feedback's cost is SQLite's own work, so lexi's number can be read against it.
 */
import type { AddressInfo } from "node:net";
import Database from "better-sqlite3";
import Fastify from "fastify";

interface RawFeedback {
  interaction_id: string;
  user_id: string;
  rating: number;
  helpful?: boolean;
  accurate?: boolean;
}

interface Verdict {
  rating: number;
  helpful: number | null;
  accurate: number | null;
}

/** The hot column lexi keeps for a path of a collection (its documents' copy of that field). */
function column(db: Database.Database, collection: string, path: string): string {
  const row = db.prepare<[string, string], { name: string }>("SELECT name FROM lexi_columns WHERE collection = ? AND path = ?").get(collection, path);
  if (!row) throw new Error(`the store has no column for ${collection}.${path}`);
  return `"${row.name}"`;
}

export async function startRawFeedbackServer(path: string): Promise<{ url: string; close: () => Promise<void> }> {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  // What a person writing this by hand would read: lexi's copies of the looked-up fields, with
  // plain indexes of their own on them.
  const verdictInteraction = column(db, "user_feedback", "interaction_id");
  const verdictUser = column(db, "user_feedback", "user_id");
  const exampleSource = column(db, "training_queue", "source_interaction_id");
  db.exec(`CREATE INDEX IF NOT EXISTS raw_verdicts ON docs_user_feedback (${verdictInteraction}, ${verdictUser});
    CREATE INDEX IF NOT EXISTS raw_examples ON docs_training_queue (${exampleSource})`);
  const interaction = db.prepare<[string], { rid: number }>("SELECT rid FROM docs_ai_interactions WHERE id = ?");
  const existing = db.prepare<[string, string], { rid: number }>(`SELECT rid FROM docs_user_feedback WHERE ${verdictInteraction} = ? AND ${verdictUser} = ?`);
  const insert = db.prepare<[string, string, string, string]>(`INSERT INTO docs_user_feedback (id, doc, ${verdictInteraction}, ${verdictUser}) VALUES (?, ?, ?, ?)`);
  const replace = db.prepare<[string, number]>("UPDATE docs_user_feedback SET doc = ? WHERE rid = ?");
  const verdicts = db.prepare<[string], Verdict>(
    `SELECT json_extract(doc, '$.rating') AS rating, json_extract(doc, '$.helpful') AS helpful, json_extract(doc, '$.accurate') AS accurate
     FROM docs_user_feedback WHERE ${verdictInteraction} = ?`,
  );
  const rescoreInteraction = db.prepare<[number, string, string, number]>(
    `UPDATE docs_ai_interactions SET doc = json_set(doc, '$.quality_score', ?, '$.flagged_for_review', json(?), '$.training_eligible', json(?)) WHERE rid = ?`,
  );
  const rescoreExample = db.prepare<[number, string]>(`UPDATE docs_training_queue SET doc = json_set(doc, '$.quality_score', ?) WHERE ${exampleSource} = ?`);
  const submit = (body: RawFeedback): boolean => {
    const key = JSON.stringify({ $oid: body.interaction_id });
    const found = interaction.get(key);
    if (!found) return false;
    const doc = JSON.stringify({ interaction_id: { $oid: body.interaction_id }, user_id: body.user_id, rating: body.rating, helpful: body.helpful, accurate: body.accurate });
    const previous = existing.get(key, body.user_id);
    if (previous) replace.run(doc, previous.rid);
    else insert.run(JSON.stringify({ $oid: `${body.user_id}-${body.interaction_id}` }), doc, key, body.user_id);
    const all = verdicts.all(key);
    const quality = all.reduce((sum, v) => sum + Math.min(1, v.rating / 5 + (v.helpful ? 0.1 : 0) + (v.accurate ? 0.2 : 0)), 0) / all.length;
    const flagged = all.some((v) => v.rating <= 2 || v.accurate === 0);
    rescoreInteraction.run(quality, String(flagged), String(!flagged), found.rid);
    rescoreExample.run(quality, key);
    return true;
  };
  let waiting: Array<() => void> = [];
  const commitTogether = () => {
    db.exec("COMMIT");
    const done = waiting;
    waiting = [];
    for (const resolve of done) resolve();
  };
  const submitDurably = (body: RawFeedback): Promise<boolean> => {
    if (!db.inTransaction) {
      db.exec("BEGIN IMMEDIATE");
      setImmediate(commitTogether);
    }
    db.exec("SAVEPOINT unit");
    let stored: boolean;
    try {
      stored = submit(body);
      db.exec("RELEASE unit");
    } catch (error) {
      db.exec("ROLLBACK TO unit");
      db.exec("RELEASE unit");
      throw error;
    }
    return new Promise((resolve) => waiting.push(() => resolve(stored)));
  };
  const app = Fastify();
  app.post("/feedback", async (request, reply) => {
    if (!(await submitDurably(request.body as RawFeedback))) return reply.code(404).send({ error: "not_found" });
    return { ok: true };
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      db.close();
    },
  };
}
