#!/usr/bin/env node
// Monthly retention rate (TRC) as in SPEC.md "Retention rate (TRC)", in DuckDB
// SQL through @duckdb/node-api (the npm package ships DuckDB's native library).
//
//   node trc_duckdb.mjs EXPORT.csv
//
// Same input and byte-identical output as trc_pandas.py:
//   period,customers_start,new,reactivated,lost,customers_end,retention_pct,churn_pct
//
// Method (see trc_pandas.py): merge each customer's rows into disjoint islands
// of activity (gaps-and-islands); an island [s, e) covers the checkpoint
// c_k = (first day of month m0+k) - 1 exactly when mi(s)+1 <= k <= mi(e);
// S_m = islands covering c_m, E_m = islands covering c_{m+1}.
// DUCKDB_THREADS=N sets DuckDB's thread count (default: all cores).
import { DuckDBInstance } from '@duckdb/node-api';

const path = process.argv[2];
if (!path || process.argv.length !== 3) {
  console.error('usage: node trc_duckdb.mjs EXPORT.csv');
  process.exit(2);
}

const sqlString = (s) => "'" + s.replaceAll("'", "''") + "'";

const sql = `
WITH raw AS (
  SELECT customer_id AS id, signup_date AS s, churn_date AS e
  FROM read_csv(${sqlString(path)}, header = true, delim = ',', quote = '"',
                dateformat = '%Y-%m-%d',
                types = {'customer_id': 'VARCHAR', 'signup_date': 'DATE', 'churn_date': 'DATE'})
),
bounds AS (SELECT max(s) AS as_of FROM raw),
r AS (  -- rows after as-of ignored; an end after as-of is unknown: active
  SELECT id, s, CASE WHEN e > as_of THEN NULL ELSE e END AS e
  FROM raw, bounds WHERE s <= as_of
),
per AS (
  SELECT min(year(s) * 12 + month(s) - 1) AS m0,
         (SELECT year(as_of) * 12 + month(as_of) - 1 FROM bounds) - min(year(s) * 12 + month(s) - 1) + 1 AS nper
  FROM r
),
o AS (
  SELECT id, s, coalesce(e, DATE '9999-12-31') AS e,
         max(coalesce(e, DATE '9999-12-31')) OVER (
           PARTITION BY id ORDER BY s, coalesce(e, DATE '9999-12-31')
           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
  FROM r
),
f AS (
  SELECT id, s, e,
         sum(CASE WHEN prev_end IS NULL OR s > prev_end THEN 1 ELSE 0 END) OVER (
           PARTITION BY id ORDER BY s, e ROWS UNBOUNDED PRECEDING) AS isl
  FROM o
),
islands AS (SELECT id, min(s) AS s, max(e) AS e FROM f GROUP BY id, isl),
cov AS (  -- checkpoints covered: lo <= k < hi
  SELECT id,
         year(s) * 12 + month(s) - 1 - m0 + 1 AS lo,
         CASE WHEN e = DATE '9999-12-31' THEN nper
              ELSE year(e) * 12 + month(e) - 1 - m0 END + 1 AS hi
  FROM islands, per
),
delta AS (
  SELECT k, sum(v) AS v FROM (
    SELECT lo AS k, 1 AS v FROM cov WHERE lo < hi
    UNION ALL
    SELECT hi AS k, -1 AS v FROM cov WHERE lo < hi
  ) GROUP BY k
),
act AS (
  SELECT g.k, sum(coalesce(delta.v, 0)) OVER (ORDER BY g.k ROWS UNBOUNDED PRECEDING) AS a
  FROM (SELECT range AS k FROM per, range(0, nper + 1)) g LEFT JOIN delta ON delta.k = g.k
),
pairs AS (SELECT DISTINCT id, year(s) * 12 + month(s) - 1 - m0 AS m FROM r, per),
firsts AS (SELECT id, min(m) AS fm FROM pairs GROUP BY id),
nr AS (
  SELECT p.m,
         count(*) FILTER (WHERE fi.fm = p.m) AS new,
         count(*) FILTER (WHERE fi.fm < p.m) AS react
  FROM pairs p
  JOIN firsts fi ON fi.id = p.id
  LEFT JOIN cov c ON c.id = p.id AND c.lo <= p.m AND p.m < c.hi
  WHERE c.id IS NULL
  GROUP BY p.m
)
SELECT (per.m0 + a0.k)::INTEGER AS mon,
       a0.a::BIGINT AS s_cnt,
       coalesce(nr.new, 0)::BIGINT AS new_cnt,
       coalesce(nr.react, 0)::BIGINT AS react_cnt,
       a1.a::BIGINT AS e_cnt
FROM per
JOIN act a0 ON a0.k < per.nper
JOIN act a1 ON a1.k = a0.k + 1
LEFT JOIN nr ON nr.m = a0.k
ORDER BY a0.k
`;

// round(num / den) with halves away from zero, exact for |num| < 2^53
function halfAway(num, den) {
  const q = Math.floor((Math.abs(num) * 2 + den) / (2 * den));
  return num < 0 ? -q : q;
}
function fmt2(h) {
  const a = Math.abs(h);
  return (h < 0 ? '-' : '') + Math.floor(a / 100) + '.' + String(a % 100).padStart(2, '0');
}

const config = {};
if (process.env.DUCKDB_THREADS) config.threads = process.env.DUCKDB_THREADS;
const instance = await DuckDBInstance.create(':memory:', config);
const con = await instance.connect();
const reader = await con.runAndReadAll(sql);
const out = ['period,customers_start,new,reactivated,lost,customers_end,retention_pct,churn_pct'];
for (const [mon, s0, n0, r0, e0] of reader.getRows()) {
  const [S, nw, re, E] = [s0, n0, r0, e0].map(Number);
  const N = nw + re;
  let ret = '', churn = '';
  if (S !== 0) {
    const q = halfAway((E - N) * 10000, S);
    ret = fmt2(q);
    churn = fmt2(10000 - q);
  }
  const label = String(Math.floor(mon / 12)).padStart(4, '0') + '-' + String((mon % 12) + 1).padStart(2, '0');
  out.push(`${label},${S},${nw},${re},${S + N - E},${E},${ret},${churn}`);
}
process.stdout.write(out.join('\n') + '\n');
