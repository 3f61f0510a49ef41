// SPDX-License-Identifier: GPL-3.0-or-later
// DuckDB side of bench_server_users: loads the trace rows (a CSV export of the same SQLite
// file) into an in-memory DuckDB table, then times the /users aggregate (first page of 100 by
// totalCost, with the total count) over all time and over a window.
// usage: node duckdb_users.mjs ROWS.csv FROM_MS RUNS
import { DuckDBInstance } from '@duckdb/node-api';

const [csv, fromMs, runsText] = process.argv.slice(2);
const runs = Number(runsText ?? 10);
const instance = await DuckDBInstance.create(':memory:');
const db = await instance.connect();

let t = performance.now();
await db.run(`CREATE TABLE traces AS SELECT * FROM read_csv('${csv.replaceAll("'", "''")}',
  header = false, columns = {'user_id': 'VARCHAR', 'ts': 'BIGINT', 'environment': 'VARCHAR',
  'session_id': 'VARCHAR', 'observation_count': 'BIGINT', 'input_tokens': 'BIGINT',
  'output_tokens': 'BIGINT', 'total_tokens': 'BIGINT', 'total_cost_nanos': 'BIGINT',
  'score_sum': 'DOUBLE', 'score_count': 'BIGINT'})`);
const loadMs = performance.now() - t;
const count = (await db.runAndReadAll('SELECT COUNT(*) FROM traces')).getRows()[0][0];

const query = (where) => `SELECT user_id, COUNT(*) AS total_traces,
  COUNT(DISTINCT session_id) AS total_sessions, SUM(observation_count),
  SUM(input_tokens), SUM(output_tokens), SUM(total_tokens), SUM(total_cost_nanos) AS cost,
  SUM(score_count), SUM(score_sum) / NULLIF(SUM(score_count), 0), MIN(ts), MAX(ts),
  string_agg(DISTINCT environment, ','), COUNT(*) OVER () AS total_items
  FROM traces ${where} GROUP BY user_id ORDER BY cost DESC, user_id LIMIT 100`;

async function time(sql) {
  const ms = [];
  let rows = 0;
  for (let i = 0; i <= runs; ++i) {
    const start = performance.now();
    const result = await db.runAndReadAll(sql);
    rows = result.getRows().length;
    if (i > 0) ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor(ms.length / 2)], rows };
}

const all = await time(query(''));
const window = await time(query(`WHERE ts >= ${Number(fromMs)}`));
console.log(JSON.stringify({ rows: Number(count), loadMs, allP50: all.p50, windowP50: window.p50,
  threads: String((await db.runAndReadAll("SELECT current_setting('threads')")).getRows()[0][0]) }));
