/**
 * The floor for the HTTP feedback benchmark: the same feedback transaction written by hand as
 * SQL over a lexi store file, in a bare fastify server (no validation, no auth, no lexi), with the
 * same group commit as lexi (requests of one event-loop turn share a COMMIT, each in a savepoint,
 * none answered before it). It shows how much of a feedback's cost is SQLite's own work, so lexi's
 * number can be read against it.
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

export async function startRawFeedbackServer(path: string): Promise<{ url: string; close: () => Promise<void> }> {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  const interaction = db.prepare<[string], { rid: number }>("SELECT rid FROM docs_ai_interactions WHERE id = ?");
  const existing = db.prepare<[string, string], { rid: number }>(
    `SELECT rid FROM docs_user_feedback WHERE json_extract(doc, '$."interaction_id"') = ? AND json_extract(doc, '$."user_id"') = ?`,
  );
  const insert = db.prepare<[string, string]>("INSERT INTO docs_user_feedback (id, doc) VALUES (?, ?)");
  const replace = db.prepare<[string, number]>("UPDATE docs_user_feedback SET doc = ? WHERE rid = ?");
  const verdicts = db.prepare<[string], Verdict>(
    `SELECT json_extract(doc, '$.rating') AS rating, json_extract(doc, '$.helpful') AS helpful, json_extract(doc, '$.accurate') AS accurate
     FROM docs_user_feedback WHERE json_extract(doc, '$."interaction_id"') = ?`,
  );
  const rescoreInteraction = db.prepare<[number, string, string, number]>(
    `UPDATE docs_ai_interactions SET doc = json_set(doc, '$.quality_score', ?, '$.flagged_for_review', json(?), '$.training_eligible', json(?)) WHERE rid = ?`,
  );
  const rescoreExample = db.prepare<[number, string]>(
    `UPDATE docs_training_queue SET doc = json_set(doc, '$.quality_score', ?) WHERE json_extract(doc, '$."source_interaction_id"') = ?`,
  );
  const submit = (body: RawFeedback): boolean => {
    const key = JSON.stringify({ $oid: body.interaction_id });
    const found = interaction.get(key);
    if (!found) return false;
    const doc = JSON.stringify({ interaction_id: { $oid: body.interaction_id }, user_id: body.user_id, rating: body.rating, helpful: body.helpful, accurate: body.accurate });
    const previous = existing.get(key, body.user_id);
    if (previous) replace.run(doc, previous.rid);
    else insert.run(JSON.stringify({ $oid: `${body.user_id}-${body.interaction_id}` }), doc);
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
