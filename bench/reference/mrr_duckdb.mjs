#!/usr/bin/env node
// Monthly MRR movements as in retain-mrr(1) (SPEC "Revenue retention"), in
// DuckDB SQL through @duckdb/node-api, on a gen-crm export
// (customer_id,signup_date,churn_date,mrr,...): the comparator of bench/mrr.sh.
//
//   node mrr_duckdb.mjs EXPORT.csv
//
// Prints retain mrr's table (default options: months, as-of the latest
// start, no --merge-gap, no --by), byte for byte:
//   period,customers_start,customers_end,mrr_start,new,expansion,reactivation,
//   contraction,churned,mrr_end,nrr_pct,grr_pct,quick_ratio,revenue_churn_pct
//
// Method: month k's checkpoint is its last day (as-of for the last month); a
// row [s, e) serves checkpoint k exactly when month(s) <= k < month(e). So a
// customer's MRR at the checkpoints changes only at the months of its rows'
// starts and ends: per (customer, month) the sum of the rows' +mrr / -mrr is
// the change, its running sum per customer the MRR at that checkpoint (m1)
// and m1 - change the one before (m0). The movements are classified on those
// (customer, month) pairs; "paid before the period" is the month of the
// customer's first paying row. Money is DECIMAL(18,2); the ratios are rounded
// half away from zero from the exact cents (BigInt).
// DUCKDB_THREADS=N sets DuckDB's thread count (default: all cores).
import { DuckDBInstance } from '@duckdb/node-api';

const path = process.argv[2];
if (!path || process.argv.length !== 3) {
  console.error('usage: node mrr_duckdb.mjs EXPORT.csv');
  process.exit(2);
}
const sqlString = (s) => "'" + s.replaceAll("'", "''") + "'";

const sql = `
WITH raw AS (
  SELECT customer_id AS id, signup_date AS s, churn_date AS e, mrr
  FROM read_csv(${sqlString(path)}, header = true, delim = ',', quote = '"',
                dateformat = '%Y-%m-%d',
                types = {'customer_id': 'VARCHAR', 'signup_date': 'DATE',
                         'churn_date': 'DATE', 'mrr': 'DECIMAL(18,2)'})
),
b AS (SELECT max(s) AS as_of FROM raw),
r AS (  -- an end after as-of is unknown: open; a row of no day serves nothing
  SELECT id, s, CASE WHEN e > as_of THEN NULL ELSE e END AS e, mrr FROM raw, b
  WHERE s <= as_of AND (e IS NULL OR e > s)
),
per AS (
  SELECT (SELECT min(year(s) * 12 + month(s) - 1) FROM raw) AS k0,
         (SELECT year(as_of) * 12 + month(as_of) - 1 FROM b) AS k1
),
ev AS (
  SELECT id, year(s) * 12 + month(s) - 1 AS k, mrr AS d FROM r
  UNION ALL
  SELECT id, year(e) * 12 + month(e) - 1 AS k, -mrr AS d FROM r WHERE e IS NOT NULL
),
ck AS (SELECT id, k, sum(d) AS d FROM ev GROUP BY id, k),
cv AS (
  SELECT id, k, d, sum(d) OVER (PARTITION BY id ORDER BY k ROWS UNBOUNDED PRECEDING) AS m1
  FROM ck
),
fp AS (SELECT id, min(year(s) * 12 + month(s) - 1) AS fk FROM r WHERE mrr > 0 GROUP BY id),
mv AS (SELECT cv.k, cv.m1 - cv.d AS m0, cv.m1, fp.fk FROM cv LEFT JOIN fp USING (id)),
agg AS (
  SELECT k,
    sum(CASE WHEN m0 = 0 AND m1 > 0 AND fk >= k THEN m1 ELSE 0 END) AS new,
    sum(CASE WHEN m0 > 0 AND m1 > m0 THEN m1 - m0 ELSE 0 END) AS expansion,
    sum(CASE WHEN m0 = 0 AND m1 > 0 AND fk < k THEN m1 ELSE 0 END) AS reactivation,
    sum(CASE WHEN m1 > 0 AND m1 < m0 THEN m0 - m1 ELSE 0 END) AS contraction,
    sum(CASE WHEN m0 > 0 AND m1 = 0 THEN m0 ELSE 0 END) AS churned,
    sum(m1 - m0) AS dl,
    sum((m1 > 0)::INTEGER - (m0 > 0)::INTEGER) AS dc
  FROM mv GROUP BY k
),
g AS (SELECT range AS k FROM per, range(k0, k1 + 1)),
lv AS (
  SELECT g.k, agg.new, agg.expansion, agg.reactivation, agg.contraction, agg.churned,
         coalesce(agg.dl, 0) AS dl, coalesce(agg.dc, 0) AS dc,
         sum(coalesce(agg.dl, 0)) OVER (ORDER BY g.k) AS lvl,
         sum(coalesce(agg.dc, 0)) OVER (ORDER BY g.k) AS cnt
  FROM g LEFT JOIN agg USING (k)
)
SELECT k::INTEGER, (cnt - dc)::BIGINT, cnt::BIGINT, (lvl - dl)::VARCHAR, coalesce(new, 0)::VARCHAR,
       coalesce(expansion, 0)::VARCHAR, coalesce(reactivation, 0)::VARCHAR,
       coalesce(contraction, 0)::VARCHAR, coalesce(churned, 0)::VARCHAR, lvl::VARCHAR
FROM lv ORDER BY k
`;

const cents = (text) => {
  const neg = text.startsWith('-');
  const [u, f = ''] = (neg ? text.slice(1) : text).split('.');
  const v = BigInt(u) * 100n + BigInt((f + '00').slice(0, 2));
  return neg ? -v : v;
};
const money = (c) => {
  const a = c < 0n ? -c : c;
  return (c < 0n ? '-' : '') + (a / 100n).toString() + '.' + (a % 100n).toString().padStart(2, '0');
};
// num / den x scale to 2 decimals, half away from zero; '' when den = 0
const ratio = (num, den, scale) => {
  if (den === 0n) return '';
  const n = num * scale * 100n, neg = (n < 0n) !== (den < 0n);
  const an = n < 0n ? -n : n, ad = den < 0n ? -den : den;
  const q = (2n * an + ad) / (2n * ad);
  return money(neg ? -q : q);
};

const config = {};
if (process.env.DUCKDB_THREADS) config.threads = process.env.DUCKDB_THREADS;
const instance = await DuckDBInstance.create(':memory:', config);
const con = await instance.connect();
const reader = await con.runAndReadAll(sql);
const out = ['period,customers_start,customers_end,mrr_start,new,expansion,reactivation,' +
             'contraction,churned,mrr_end,nrr_pct,grr_pct,quick_ratio,revenue_churn_pct'];
for (const row of reader.getRows()) {
  const k = Number(row[0]);
  const [s, nw, ex, re, co, ch, e] = row.slice(3).map((v) => cents(String(v)));
  const lost = co + ch;
  const grr = ratio(s - lost, s, 100n);
  const churnPct = grr === '' ? '' : money(10000n - cents(grr));
  const label = String(Math.floor(k / 12)).padStart(4, '0') + '-' + String((k % 12) + 1).padStart(2, '0');
  out.push([label, String(row[1]), String(row[2]), money(s), money(nw), money(ex), money(re),
            money(co), money(ch), money(e), ratio(s + ex - lost, s, 100n), grr,
            ratio(nw + re + ex, lost, 1n), churnPct].join(','));
}
process.stdout.write(out.join('\n') + '\n');
