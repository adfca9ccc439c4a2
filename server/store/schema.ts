/**
 * SQLite schema, applied as numbered migrations so later releases can add tables without a rebuild.
 * Kept as plain SQL strings so a Postgres store can port them one by one.
 */
import { TENANTS_MIGRATION } from './sqlite-migrations/0007-tenants.ts';
import { OUTCOMES_MIGRATION } from './sqlite-migrations/0008-outcomes.ts';

export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE events (
    handoff_id   TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    source       TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    event_json   TEXT NOT NULL,
    UNIQUE (tenant_id, event_id)
  );
  CREATE TABLE jobs (
    handoff_id    TEXT PRIMARY KEY REFERENCES events(handoff_id),
    tenant_id     TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('queued','running','done','dead')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    run_after     INTEGER NOT NULL,
    lease_until   INTEGER,
    last_error    TEXT,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
  );
  CREATE INDEX jobs_ready ON jobs(state, run_after);
  CREATE TABLE reports (
    handoff_id   TEXT PRIMARY KEY REFERENCES events(handoff_id),
    tenant_id    TEXT NOT NULL,
    ticket_id    INTEGER,
    report_json  TEXT NOT NULL,
    created_at   INTEGER NOT NULL
  );
  CREATE INDEX reports_ticket ON reports(tenant_id, ticket_id, created_at);
  CREATE TABLE deliveries (
    handoff_id   TEXT PRIMARY KEY REFERENCES events(handoff_id),
    tenant_id    TEXT NOT NULL,
    helpdesk     TEXT NOT NULL,
    ticket_id    INTEGER,
    outcome      TEXT NOT NULL,
    delivered_at INTEGER NOT NULL
  );
  CREATE TABLE feedback (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id    TEXT NOT NULL,
    ticket_id    INTEGER NOT NULL,
    handoff_id   TEXT NOT NULL,
    accurate     INTEGER NOT NULL,
    comment      TEXT,
    agent_id     TEXT,
    created_at   INTEGER NOT NULL
  );
  `,
  // 2: \`tries\` counts every claim and, unlike \`attempts\` (the retry budget), is not reset by a replay, so a
  // replayed handoff still checks whether an earlier try landed before writing again.
  `
  ALTER TABLE jobs ADD COLUMN tries INTEGER NOT NULL DEFAULT 0;
  UPDATE jobs SET tries = attempts;
  `,
  // 3: erasure requests find a customer's handoffs by email or id within a tenant (filled at accept time,
  // backfilled here from the stored event); retention purges by age; readiness probes a real commit.
  `
  ALTER TABLE events ADD COLUMN customer_email TEXT;
  ALTER TABLE events ADD COLUMN customer_id TEXT;
  UPDATE events SET
    customer_email = lower(trim(json_extract(event_json, '$.customer.email'))),
    customer_id = CAST(json_extract(event_json, '$.customer.id') AS TEXT);
  CREATE INDEX events_customer_email ON events(tenant_id, customer_email) WHERE customer_email IS NOT NULL;
  CREATE INDEX events_customer_id ON events(tenant_id, customer_id) WHERE customer_id IS NOT NULL;
  CREATE INDEX jobs_created ON jobs(created_at);
  CREATE TABLE store_probe (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, pad BLOB);
  `,
  // 4: analyses started and not finished, committed before each analysis starts, so one that kills or freezes
  // the process is counted and the job dead-lettered after 3; claims look up each tenant's oldest ready jobs.
  `
  ALTER TABLE jobs ADD COLUMN analysis_tries INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE jobs ADD COLUMN analysis_error TEXT;
  CREATE INDEX jobs_tenant_ready ON jobs(state, tenant_id, run_after);
  `,
  // 5: references are strings and name their helpdesk ({ helpdesk, id }), so a tenant can connect several
  // helpdesks. Every reference stored before this migration was a Zendesk ticket (the only helpdesk then).
  // Jobs carry their target's helpdesk, so claims are budgeted per helpdesk account, not per tenant.
  `
  ALTER TABLE reports ADD COLUMN helpdesk TEXT;
  ALTER TABLE reports ADD COLUMN ref_id TEXT;
  UPDATE reports SET helpdesk = 'zendesk', ref_id = CAST(ticket_id AS TEXT) WHERE ticket_id IS NOT NULL;
  DROP INDEX reports_ticket;
  ALTER TABLE reports DROP COLUMN ticket_id;
  CREATE INDEX reports_ref ON reports(tenant_id, helpdesk, ref_id, created_at);

  ALTER TABLE deliveries ADD COLUMN ref_id TEXT;
  UPDATE deliveries SET ref_id = CAST(ticket_id AS TEXT) WHERE ticket_id IS NOT NULL;
  ALTER TABLE deliveries DROP COLUMN ticket_id;

  ALTER TABLE feedback ADD COLUMN helpdesk TEXT NOT NULL DEFAULT '';
  ALTER TABLE feedback ADD COLUMN ref_id TEXT NOT NULL DEFAULT '';
  UPDATE feedback SET helpdesk = 'zendesk', ref_id = CAST(ticket_id AS TEXT);
  ALTER TABLE feedback DROP COLUMN ticket_id;
  CREATE INDEX feedback_ref ON feedback(tenant_id, helpdesk, ref_id);

  ALTER TABLE jobs ADD COLUMN helpdesk TEXT NOT NULL DEFAULT '';
  UPDATE jobs SET helpdesk = coalesce((SELECT json_extract(e.event_json, '$.target.helpdesk') FROM events e WHERE e.handoff_id = jobs.handoff_id), '');
  CREATE INDEX jobs_account_ready ON jobs(state, tenant_id, helpdesk, run_after);
  `,
  // 6: a handoff whose helpdesk object is created by someone else (a Zendesk messaging ticket, made when the
  // Sunshine switchboard hands the conversation to the agent workspace) waits for it: the helpdesk's webhook
  // binds the object's id to the handoff's \`target.awaitKey\` (or to its handoff id), and the waiting job is woken.
  // \`consumed_by\` makes each binding serve one handoff, so a long-lived conversation's next handoff waits for its own ticket.
  `
  CREATE TABLE target_bindings (
    tenant_id    TEXT NOT NULL,
    helpdesk     TEXT NOT NULL,
    await_key    TEXT NOT NULL,
    ref_id       TEXT NOT NULL,
    bound_at     INTEGER NOT NULL,
    consumed_by  TEXT,
    PRIMARY KEY (tenant_id, helpdesk, await_key, ref_id)
  );
  CREATE INDEX events_await_key ON events(tenant_id, json_extract(event_json, '$.target.awaitKey'))
    WHERE json_extract(event_json, '$.target.awaitKey') IS NOT NULL;
  `,
  // 7: tenants created at run time, their encrypted secrets, OAuth connect state (issue 13).
  TENANTS_MIGRATION,
  // 8: what happened after each handoff: first human reply, solved / reopened, repeat-yourself, re-escalation (issue 11).
  OUTCOMES_MIGRATION,
];
