import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { and, eq } from "drizzle-orm";
import { Client, Pool } from "pg";
import { openDatabase, schema, type Db } from "../db";
import { migrateDatabase } from "../db/migrate";
import { agentCases } from "../db/schema";
import { seedDatabase } from "../db/seed";
import { withDatabase } from "../db/testing";
import { CASE_KINDS, type CaseKind, type CaseStatus } from "../db/enums";
import { adminQuery } from "./lib/postgres";

/**
 * The agent console's data queries at scale (issue 14), on Postgres only (PGlite is one connection
 * in one process, not what a carrier's console runs on): the queue page (`caseQueue` with the
 * filters the page offers, each page carrying its total), the case page's data (the case row in
 * its carrier scope, `caseTimeline`, `numberView`) and the supervisor's audit log (`listAudit`).
 *
 * The bench seeds its own fresh database (BENCH_DATABASE_URL, else DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/postgres; skipped when none answers; dropped at the end) with
 * INSERT … SELECT generate_series: 3 carriers × 50 staff, 60,000 owners with open tenures (and
 * 10,000 earlier ones), 100,000 cases over a year (most settled, a few thousand active, some of
 * those overdue), 4 timeline events each, look-ups with 5 answers, unbind batches with 3 items and
 * their outbox rows, reports, and 1,000,000 audit rows over the year. Each query then runs 20 times
 * to warm up and 200 times timed (fewer when one run is slow) with random parameters (carrier,
 * staff member, case, tenure), and the table gives p50/p95 against the target (p95 < 50 ms). For a
 * query above the target, the slowest of its statements is shown with EXPLAIN (ANALYZE, BUFFERS).
 *
 * A new query is one line in QUERIES. BENCH_AGENT_ONLY=<prefix> times the queries whose name
 * starts with it ("queue", "case", "audit"); BENCH_AGENT_EXPLAIN=1 explains every query;
 * BENCH_AGENT_KEEP=1 keeps the database (its name is printed) and BENCH_AGENT_REUSE=<name> times
 * an already seeded one, for trying an index by hand. Prints figures; exits non-zero only when the
 * seed or a query fails, never on timing.
 */
const TARGET_MS = 50;
const WARM_UP = 20;
const RUNS = 200;
/** A slow query gets fewer runs, so that the whole bench stays in minutes. */
const MAX_SECONDS_PER_QUERY = 15;
/** The bench's "now": the seeded year ends here. */
const NOW = new Date("2026-12-01T04:00:00Z");
const DAY = 86_400_000;

// number-view and audit-queries are `server-only`: outside React Server Components that import
// throws unless the react-server condition resolves it to its empty module (as scripts/worker does).
if (!process.execArgv.some((a) => a.includes("react-server"))) {
  const result = spawnSync(process.execPath, ["--conditions=react-server", ...process.execArgv, process.argv[1]!, ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(result.status ?? 1);
}

/** What one run of a query is given: a random carrier, one of its staff, cases and tenures. */
interface Pick {
  carrierId: string;
  staffId: string;
  supervisorId: string;
  caseId: string;
  tenureId: string;
  kind: CaseKind;
  activeStatus: CaseStatus;
}

type Libs = Awaited<ReturnType<typeof loadLibs>>;
async function loadLibs() {
  const [queries, numberView, caseView, queue, audit] = await Promise.all([
    import("../lib/cases/queries"),
    import("../lib/agent/number-view"),
    import("../lib/agent/case-view"),
    import("../lib/agent/queue"),
    import("../lib/audit-queries"),
  ]);
  return { ...queries, ...numberView, ...caseView, ...queue, ...audit };
}

const queue = (p: Pick, more: Partial<Parameters<Libs["caseQueue"]>[1]> = {}) => ({ carrierId: p.carrierId, me: p.staffId, now: NOW, page: 1, pageSize: 50, ...more });

/** One line per query: its name and one run. */
const QUERIES: { name: string; run: (db: Db, lib: Libs, p: Pick) => Promise<unknown> }[] = [
  { name: "queue: page 1 (+ total)", run: (db, lib, p) => lib.caseQueue(db, queue(p)) },
  { name: "queue: page 50", run: (db, lib, p) => lib.caseQueue(db, queue(p, { page: 50 })) },
  { name: "queue: status (active one)", run: (db, lib, p) => lib.caseQueue(db, queue(p, { status: p.activeStatus })) },
  { name: "queue: status resolved, page 10", run: (db, lib, p) => lib.caseQueue(db, queue(p, { status: "resolved", page: 10 })) },
  { name: "queue: kind", run: (db, lib, p) => lib.caseQueue(db, queue(p, { kind: p.kind })) },
  { name: "queue: assignee me", run: (db, lib, p) => lib.caseQueue(db, queue(p, { assignee: "me" })) },
  { name: "queue: unassigned", run: (db, lib, p) => lib.caseQueue(db, queue(p, { assignee: "unassigned" })) },
  { name: "queue: overdue", run: (db, lib, p) => lib.caseQueue(db, queue(p, { overdue: true })) },
  { name: "queue: older than 7 days", run: (db, lib, p) => lib.caseQueue(db, queue(p, { olderThanDays: 7 })) },
  { name: "queue: overdue + kind + me", run: (db, lib, p) => lib.caseQueue(db, queue(p, { overdue: true, kind: p.kind, assignee: "me" })) },
  {
    name: "case: row by id, carrier scope",
    run: (db, _lib, p) =>
      db
        .select()
        .from(agentCases)
        .where(and(eq(agentCases.id, p.caseId), eq(agentCases.carrierId, p.carrierId))),
  },
  { name: "case: caseTimeline", run: (db, lib, p) => lib.caseTimeline(db, p.caseId) },
  { name: "case: numberView", run: (db, lib, p) => lib.numberView(db, p.tenureId, p.carrierId) },
  // The whole case page's data (app/agent/cases/[id]): the case, its timeline with names, the number's view.
  { name: "case page: caseView (all of it)", run: (db, lib, p) => lib.caseView(db, p.caseId, p.carrierId, NOW) },
  // The queue page as it renders: a page of rows with names, platforms and masked numbers.
  { name: "queue page: caseQueue + withNames", run: async (db, lib, p) => lib.withNames(db, (await lib.caseQueue(db, queue(p))).rows) },
  { name: "audit: carrier, page 1", run: (db, lib, p) => lib.listAudit(db, { carrierId: p.carrierId }, {}) },
  { name: "audit: carrier, page 20", run: (db, lib, p) => lib.listAudit(db, { carrierId: p.carrierId }, {}, 20) },
  { name: "audit: action family case", run: (db, lib, p) => lib.listAudit(db, { carrierId: p.carrierId }, { action: "case" }) },
  { name: "audit: action number.revealed", run: (db, lib, p) => lib.listAudit(db, { carrierId: p.carrierId }, { action: "number.revealed" }) },
  { name: "audit: actor (a staff id)", run: (db, lib, p) => lib.listAudit(db, { carrierId: p.carrierId }, { actor: p.staffId }) },
  { name: "audit: subject number_tenure", run: (db, lib, p) => lib.listAudit(db, { carrierId: p.carrierId }, { subjectType: "number_tenure" }) },
  {
    name: "audit: one week, 3 months ago",
    run: (db, lib, p) => lib.listAudit(db, { carrierId: p.carrierId }, { from: new Date(NOW.getTime() - 97 * DAY), to: new Date(NOW.getTime() - 90 * DAY) }),
  },
  { name: "audit: supervisor's own, last 30 days", run: (db, lib, p) => lib.listAudit(db, { carrierId: p.carrierId }, { actor: p.supervisorId, from: new Date(NOW.getTime() - 30 * DAY) }) },
  { name: "audit: admin, all carriers, page 1", run: (db, lib) => lib.listAudit(db, { all: true }, {}) },
];

/**
 * The seed, in order. Owners, tenures and cases are spread over the three carriers 50/30/20, so the
 * smallest carrier's supervisor reads a log where most rows are another carrier's.
 */
const SEED: [string, string][] = [
  ["staff (50 per carrier, 5 of them supervisors)", `
    insert into staff_users (email, display_name, role, carrier_id, password_hash)
    select 'bench-' || c.code || '-' || g || '@bench.invalid', 'Bench ' || c.code || ' ' || g,
           (case when g <= 5 then 'supervisor' else 'agent' end)::staff_role, c.id, 'bench-no-password'
    from carriers c cross join generate_series(1, 50) g where c.code in ('cmcc', 'cucc', 'ctcc')`],
  ["a map of the bench's owners (scratch table)", `
    create table bench_owner (i int primary key, owner_id uuid not null default gen_random_uuid(), tenure_id uuid not null default gen_random_uuid(),
      number text not null, carrier_id uuid not null, started_at timestamptz not null);
    insert into bench_owner (i, number, carrier_id, started_at)
    select g, '+86137' || lpad(g::text, 8, '0'),
           (select id from carriers where code = (case when g % 10 < 5 then 'cmcc' when g % 10 < 8 then 'cucc' else 'ctcc' end)),
           timestamptz '2026-12-01T04:00:00Z' - (interval '1 day' * (30 + (g * 7919) % 1800))
    from generate_series(1, 60000) g`],
  ["owners (60,000)", `
    insert into owners (id, number, terms_version, terms_accepted_at)
    select owner_id, number, 'bench', started_at + interval '1 day' from bench_owner`],
  ["tenures (60,000 open, 10,000 earlier ones)", `
    insert into number_tenures (id, number, carrier_id, started_at, source)
    select tenure_id, number, carrier_id, started_at, (case when i % 7 = 0 then 'self_declared' else 'carrier_record' end)::tenure_source from bench_owner;
    insert into number_tenures (number, carrier_id, started_at, ended_at, source)
    select number, carrier_id, started_at - interval '4 years', started_at - interval '60 days', 'carrier_record' from bench_owner where i <= 10000`],
  ["staff as an array per carrier (scratch table)", `
    create table bench_staff as select carrier_id, array_agg(id order by email) as ids from staff_users where email like 'bench-%' group by carrier_id`],
  ["cases (100,000: ~96% settled, ~4,000 active)", `
    insert into agent_cases (id, kind, status, carrier_id, owner_id, tenure_id, assigned_to, detail, created_at,
                             first_response_due_at, resolution_due_at, first_responded_at, next_due_at, settled_at)
    select gen_random_uuid(), k.kind, k.status, o.carrier_id, o.owner_id, o.tenure_id,
           (case when k.active and abs(hashint4(g + 1)) % 10 < 3 then null else s.ids[1 + abs(hashint4(g + 2)) % 50] end), 'bench',
           k.created_at, k.created_at + interval '48 hours', k.created_at + interval '15 days', k.responded_at,
           (case when k.responded_at is null then k.created_at + interval '48 hours' else k.created_at + interval '15 days' end),
           (case when k.active then null else k.created_at + interval '1 day' * (1 + g % 12) end)
    from generate_series(1, 100000) g
    join bench_owner o on o.i = 1 + abs(hashint4(g)) % 60000
    join bench_staff s on s.carrier_id = o.carrier_id
    cross join lateral (
      select active, created_at,
             (case when not active or abs(hashint4(g + 3)) % 10 < 7 then created_at + interval '1 hour' * (1 + g % 40) end) as responded_at,
             (case when active then (array['open', 'in_progress', 'waiting_platform', 'waiting_owner'])[1 + abs(hashint4(g + 4)) % 4]
                   when g % 5 = 0 then 'closed' else 'resolved' end)::case_status as status,
             (array['delivery_failed', 'delivery_failed', 'endpoint_gone', 'no_answer', 'no_answer', 'report_review', 'report_review',
                    'report_review', 'owner_help', 'owner_help', 'owner_help', 'tenure_review', 'tenure_review', 'manual'])[1 + abs(hashint4(g + 5)) % 14]::case_kind as kind
      from (select g % 25 = 0 as active) a
      cross join lateral (select timestamptz '2026-12-01T04:00:00Z' - (case when active then interval '1 minute' * ((g * 97) % (20 * 1440))
                                                                       else interval '1 minute' * (30 * 1440 + (g * 97) % (335 * 1440)) end) as created_at) c
    ) k`],
  ["case events (4 per case)", `
    insert into case_events (case_id, at, actor_id, kind, from_status, to_status, assignee_id)
    select c.id, c.created_at + interval '1 minute' * e.n * 20, (case when e.n > 0 then c.assigned_to end), e.kind::case_event_kind,
           (case when e.n = 3 then 'open' end)::case_status, (case when e.n = 3 then c.status end), (case when e.n = 1 then c.assigned_to end)
    from agent_cases c cross join (values (0, 'opened'), (1, 'assigned'), (2, 'first_response'), (3, 'status')) e(n, kind)
    where c.detail = 'bench'`],
  ["look-ups (60,000) with 5 answers each", `
    insert into lookups (id, owner_id, tenure_id, tenure_start, started_at, completed_at)
    select gen_random_uuid(), owner_id, tenure_id, started_at, started_at + interval '3 days', started_at + interval '3 days 10 seconds' from bench_owner;
    insert into lookup_results (lookup_id, platform_id, status, attempts, answered_at)
    select l.id, p.id, (array['bound_before_tenure', 'bound_since_tenure', 'not_bound', 'not_bound', 'unavailable'])[p.n]::lookup_status, 1, l.completed_at
    from lookups l join bench_owner o on o.owner_id = l.owner_id
    cross join (select id, row_number() over (order by slug) as n from platforms limit 5) p`],
  ["unbind batches (30,000) with 3 items and their outbox rows", `
    insert into unbind_batches (owner_id, tenure_id, selection, created_at, verified_at, completed_at)
    select owner_id, tenure_id, 'bench', started_at + interval '4 days', started_at + interval '4 days', started_at + interval '6 days' from bench_owner where i <= 30000;
    insert into unbind_items (batch_id, platform_id, status, updated_at)
    select b.id, p.id, (array['unbound', 'scheduled', 'failed'])[p.n]::unbind_status, b.completed_at
    from unbind_batches b cross join (select id, row_number() over (order by slug) as n from platforms limit 3) p where b.selection = 'bench';
    insert into outbox (kind, message_id, platform_id, status, attempts, next_attempt_at, created_at, delivered_at)
    select 'unbind_request', i.id, i.platform_id, 'delivered', 1 + (hashtext(i.id::text) & 3), i.updated_at, i.updated_at, i.updated_at
    from unbind_items i join unbind_batches b on b.id = i.batch_id where b.selection = 'bench'`],
  ["reports (20,000)", `
    insert into reports (owner_id, tenure_id, carrier_id, channel, category, suggested_category, text_enc, received_at, status, dedupe_key, created_at, updated_at)
    select owner_id, tenure_id, carrier_id, 'sms', 'debt_collection', 'debt_collection', 'bench-not-a-ciphertext', started_at + interval '5 days',
           'forwarded', md5(i::text), started_at + interval '5 days', started_at + interval '5 days' from bench_owner where i <= 20000`],
  ["audit rows (1,000,000 over the year)", `
    create table bench_case as select row_number() over () as i, id from agent_cases where detail = 'bench';
    create index on bench_case (i);
    create index on bench_owner (owner_id);
    create table bench_staff_flat as select row_number() over (order by email) as i, id from staff_users where email like 'bench-%';
    create index on bench_staff_flat (i);
    -- carrier_id as lib/audit.ts decides it when a row is written: the subject case's or tenure's, else the staff actor's, else the owner's.
    insert into audit_log (at, actor_type, actor_id, action, subject_type, subject_id, ip, carrier_id)
    select timestamptz '2026-12-01T04:00:00Z' - interval '1 second' * ((g::bigint * 31536) / 1000) - interval '1 millisecond' * (g % 1000),
           a.actor_type::actor_type, a.actor_id, a.action, a.subject_type, a.subject_id, a.ip,
           coalesce(case when a.subject_type = 'agent_case' then (select carrier_id from agent_cases where id = a.subject_id::uuid) end,
                    case when a.subject_type = 'number_tenure' then (select carrier_id from number_tenures where id = a.subject_id::uuid) end,
                    case when a.actor_type = 'staff' then (select carrier_id from staff_users where id = a.actor_id::uuid) end,
                    case when a.actor_type = 'owner' then (select carrier_id from bench_owner where owner_id = a.actor_id::uuid) end)
    from generate_series(1, 1000000) g
    cross join lateral (
      select
        case when g % 20 < 8 then 'staff' when g % 20 < 15 then 'owner' when g % 20 < 18 then 'system' else 'platform' end as actor_type,
        case when g % 20 < 8 then (select id::text from bench_staff_flat where i = 1 + (g * 17) % 150)
             when g % 20 < 15 then (select owner_id::text from bench_owner where i = 1 + (g * 13) % 60000) end as actor_id,
        case when g % 20 < 8 then (array['case.opened', 'case.assigned', 'case.noted', 'number.viewed', 'staff.signed_in', 'case.closed', 'number.viewed', 'audit.viewed'])[1 + (g / 20) % 8]
             when g % 20 < 15 then (array['owner.signed_in', 'lookup.started', 'consent.given', 'unbind.requested', 'report.created'])[1 + (g / 20) % 5]
             when g % 20 < 18 then 'case.opened' else 'unbind_item.answered' end as action,
        case when g % 20 < 8 then (case when (g / 20) % 8 in (3, 6) then 'number_tenure' when (g / 20) % 8 in (4, 7) then null else 'agent_case' end)
             when g % 20 < 15 then (array['owner', 'lookup', 'consent', 'unbind_batch', 'report'])[1 + (g / 20) % 5]
             when g % 20 < 18 then 'agent_case' else 'unbind_item' end as subject_type,
        case when g % 20 < 8 then (case when (g / 20) % 8 in (3, 6) then (select tenure_id::text from bench_owner where i = 1 + (g * 11) % 60000)
                                        when (g / 20) % 8 in (4, 7) then null
                                        else (select id::text from bench_case where i = 1 + (g * 7) % 100000) end)
             when g % 20 < 15 then gen_random_uuid()::text
             when g % 20 < 18 then (select id::text from bench_case where i = 1 + (g * 7) % 100000)
             else gen_random_uuid()::text end as subject_id,
        case when g % 20 < 8 then '10.20.' || (g % 250) || '.' || (g % 199) end as ip
    ) a;
    -- A reveal now and then (1 in 500 staff rows), the rare action a supervisor looks for.
    insert into audit_log (at, actor_type, actor_id, action, subject_type, subject_id, ip, carrier_id)
    select timestamptz '2026-12-01T04:00:00Z' - interval '1 minute' * ((g * 1051) % 525600), 'staff', s.id::text, 'number.revealed', 'number_tenure', o.tenure_id::text, '10.20.0.1', o.carrier_id
    from generate_series(1, 800) g join bench_staff_flat s on s.i = 1 + (g * 17) % 150 join bench_owner o on o.i = 1 + (g * 11) % 60000`],
];

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const random = <T>(values: readonly T[]) => values[Math.floor(Math.random() * values.length)]!;

async function seed(url: string) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (const [label, statements] of SEED) {
      const start = performance.now();
      await client.query(statements);
      console.log(`  seeded ${label} in ${((performance.now() - start) / 1000).toFixed(1)} s`);
    }
    const start = performance.now();
    await client.query("vacuum analyze");
    console.log(`  vacuum analyze in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  } finally {
    await client.end();
  }
}

/** Random parameters, per carrier: its staff, a sample of its cases and tenures. */
async function picker(pool: Pool): Promise<() => Pick> {
  const { rows: carriers } = await pool.query<{ id: string }>("select carrier_id as id from bench_staff");
  const perCarrier = await Promise.all(
    carriers.map(async ({ id }) => {
      const staff = await pool.query<{ id: string; role: string }>("select id, role from staff_users where carrier_id = $1 and email like 'bench-%'", [id]);
      const cases = await pool.query<{ id: string }>("select id from agent_cases where carrier_id = $1 order by random() limit 2000", [id]);
      const tenures = await pool.query<{ id: string }>("select id from number_tenures where carrier_id = $1 order by random() limit 2000", [id]);
      return {
        carrierId: id,
        staff: staff.rows.map((r) => r.id),
        supervisors: staff.rows.filter((r) => r.role === "supervisor").map((r) => r.id),
        cases: cases.rows.map((r) => r.id),
        tenures: tenures.rows.map((r) => r.id),
      };
    }),
  );
  const kinds = CASE_KINDS;
  const activeStatuses: CaseStatus[] = ["open", "in_progress", "waiting_platform", "waiting_owner"];
  return () => {
    const c = random(perCarrier);
    return {
      carrierId: c.carrierId,
      staffId: random(c.staff),
      supervisorId: random(c.supervisors),
      caseId: random(c.cases),
      tenureId: random(c.tenures),
      kind: random(kinds),
      activeStatus: random(activeStatuses),
    };
  };
}

/** The slowest statement of one run, with its plan (the query is run again under EXPLAIN ANALYZE). */
async function explain(pool: Pool, captured: { query: string; params: unknown[] }[]) {
  let worst: { ms: number; plan: string[]; query: string } | null = null;
  for (const { query, params } of captured) {
    const { rows } = await pool.query<{ "QUERY PLAN": string }>(`explain (analyze, buffers) ${query}`, params);
    const plan = rows.map((r) => r["QUERY PLAN"]);
    const ms = Number(/Execution Time: ([\d.]+)/.exec(plan.at(-1) ?? "")?.[1] ?? 0);
    if (!worst || ms > worst.ms) worst = { ms, plan, query };
  }
  return worst;
}

async function time(db: Db, lib: Libs, pool: Pool, capture: { on: boolean; statements: { query: string; params: unknown[] }[] }, pick: () => Pick) {
  const results: { name: string; runs: number; p50: number; p95: number; max: number }[] = [];
  const only = process.env.BENCH_AGENT_ONLY;
  for (const q of QUERIES.filter((q) => !only || q.name.startsWith(only))) {
    for (let i = 0; i < WARM_UP; i++) await q.run(db, lib, pick());
    const times: number[] = [];
    const started = performance.now();
    while (times.length < RUNS && (times.length < 20 || performance.now() - started < MAX_SECONDS_PER_QUERY * 1000)) {
      const p = pick();
      const start = performance.now();
      await q.run(db, lib, p);
      times.push(performance.now() - start);
    }
    const row = { name: q.name, runs: times.length, p50: percentile(times, 50), p95: percentile(times, 95), max: Math.max(...times) };
    results.push(row);
    console.log(`  ${q.name.padEnd(40)} p50 ${row.p50.toFixed(1).padStart(7)} ms  p95 ${row.p95.toFixed(1).padStart(7)} ms  (${row.runs} runs)${row.p95 >= TARGET_MS ? "  ABOVE TARGET" : ""}`);
    if (row.p95 >= TARGET_MS || process.env.BENCH_AGENT_EXPLAIN) {
      capture.statements = [];
      capture.on = true;
      await q.run(db, lib, pick());
      capture.on = false;
      const worst = await explain(pool, capture.statements);
      if (worst) {
        console.log(`    slowest statement (${worst.ms.toFixed(1)} ms): ${worst.query.replace(/\s+/g, " ").slice(0, 400)}`);
        for (const line of worst.plan) console.log(`    | ${line}`);
      }
    }
  }
  return results;
}

/**
 * The seeded reports get real ciphertexts (encrypted here, bound to each row as the service binds
 * them), so the case page's redacted previews decrypt what the service would: 20,000 in a few batches.
 */
async function sealReports(url: string) {
  const started = performance.now();
  const { sealField } = await import("../lib/reports/sealed");
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(`select id from reports where text_enc = 'bench-not-a-ciphertext'`);
    for (let i = 0; i < rows.length; i += 2000) {
      const ids = rows.slice(i, i + 2000).map((r) => r.id);
      const sealed = ids.map((id) => sealField(id, "text", "【易贷花】刘先生您好，您在我司的借款已逾期 35 天，请于今日 18:00 前致电 13912345678 处理。"));
      await client.query(`update reports r set text_enc = v.t from unnest($1::uuid[], $2::text[]) as v(id, t) where r.id = v.id`, [ids, sealed]);
    }
    console.log(`  sealed report texts (${rows.length.toLocaleString("en")}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await client.end();
  }
}

async function main() {
  console.log(`bench/agent — queue, case page and audit log queries at 100,000 cases and 1,000,000 audit rows (target p95 < ${TARGET_MS} ms)`);
  const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const reuse = process.env.BENCH_AGENT_REUSE;
  const name = reuse ?? `reclaim_bench_agent_${Date.now().toString(36)}`;
  if (!reuse) {
    try {
      await adminQuery(serverUrl, `create database "${name}"`);
    } catch {
      console.log("  Postgres: skipped (no server answers)");
      return;
    }
  }
  const url = withDatabase(serverUrl, name);
  const keep = Boolean(reuse || process.env.BENCH_AGENT_KEEP);
  try {
    if (!reuse) {
      const handle = await openDatabase({ databaseUrl: url });
      try {
        await migrateDatabase(handle);
        await seedDatabase(handle.db);
      } finally {
        await handle.close();
      }
      await seed(url);
      await sealReports(url);
    }
    // Our own pool and drizzle instance, so that the statements of one run can be captured and explained.
    const pool = new Pool({ connectionString: url, max: 4 });
    const capture = { on: false, statements: [] as { query: string; params: unknown[] }[] };
    const { drizzle } = await import("drizzle-orm/node-postgres");
    const db = drizzle({
      client: pool,
      schema,
      logger: { logQuery: (query, params) => void (capture.on && capture.statements.push({ query, params })) },
    }) as unknown as Db;
    try {
      const counts = await pool.query<{ cases: number; active: number; overdue: number; events: number; audit: number }>(
        `select (select count(*) from agent_cases)::int as cases, (select count(*) from agent_cases where settled_at is null)::int as active,
                (select count(*) from agent_cases where settled_at is null and next_due_at < $1)::int as overdue,
                (select count(*) from case_events)::int as events, (select count(*) from audit_log)::int as audit`,
        [NOW],
      );
      const c = counts.rows[0]!;
      console.log(`  database ${name}: ${c.cases} cases (${c.active} active, ${c.overdue} overdue), ${c.events} case events, ${c.audit} audit rows`);
      const lib = await loadLibs();
      const results = await time(db, lib, pool, capture, await picker(pool));
      const above = results.filter((r) => r.p95 >= TARGET_MS);
      console.log(above.length ? `  ${above.length} of ${results.length} queries above the target: ${above.map((r) => r.name).join("; ")}` : `  all ${results.length} queries under the target`);
    } finally {
      await pool.end();
    }
  } catch (error) {
    console.error("bench/agent failed:", (error as Error).message);
    process.exitCode = 1;
  } finally {
    if (keep) console.log(`  kept database ${name} (drop it with: psql -c 'drop database "${name}"')`);
    else await adminQuery(serverUrl, `drop database if exists "${name}" with (force)`);
  }
}

void main();
