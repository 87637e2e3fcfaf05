// The DuckDB side of the insights benchmark (analytics.bench.ts): one whole process answering
// fluency by day or error patterns over a JSONL dump, printing rows as JSON.
import { DuckDBInstance } from "@duckdb/node-api";

const [question, jsonl, since] = process.argv.slice(2);
const source = `read_json('${jsonl.replace(/'/g, "''")}', format = 'newline_delimited')`;
const QUERIES = {
  fluency: `SELECT strftime(CAST(timestamp AS TIMESTAMP), '%Y-%m-%d') AS "group", CAST(count(*) AS INTEGER) AS interactions, avg(analysis.fluency_score) AS avg
    FROM ${source} GROUP BY 1`,
  patterns: `SELECT e.type AS type, level, CAST(count(*) AS INTEGER) AS frequency, CAST(count(DISTINCT user_id) AS INTEGER) AS users
    FROM (SELECT user_id, analysis.vocabulary_level AS level, unnest(analysis.grammar_errors) AS e FROM ${source}
          WHERE CAST(timestamp AS TIMESTAMP) >= CAST('${(since ?? "").replace(/'/g, "")}' AS TIMESTAMP))
    GROUP BY 1, 2`,
};
const instance = await DuckDBInstance.create(":memory:");
const connection = await instance.connect();
const reader = await connection.runAndReadAll(QUERIES[question]);
process.stdout.write(JSON.stringify(reader.getRowObjectsJson()));
