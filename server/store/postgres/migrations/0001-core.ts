/**
 * Postgres migration 1 (issue 10): the final shape of SQLite migrations 1–6 (server/store/schema.ts), not their
 * history, plus the lease owner. Times are BIGINT epoch milliseconds, as in SQLite; JSON is kept as TEXT exactly as
 * serialized (JSONB would reorder keys and refuses \u0000), and the one value queried inside it, the target's
 * `awaitKey`, is its own column filled at accept time.
 */
export const CORE_MIGRATION = `
  CREATE TABLE events (
    handoff_id      TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL,
    event_id        TEXT NOT NULL,
    source          TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    customer_email  TEXT,
    customer_id     TEXT,
    await_key       TEXT,
    event_json      TEXT NOT NULL,
    UNIQUE (tenant_id, event_id)
  );
  CREATE INDEX events_customer_email ON events (tenant_id, customer_email) WHERE customer_email IS NOT NULL;
  CREATE INDEX events_customer_id ON events (tenant_id, customer_id) WHERE customer_id IS NOT NULL;
  CREATE INDEX events_await_key ON events (tenant_id, await_key) WHERE await_key IS NOT NULL;

  CREATE TABLE jobs (
    handoff_id      TEXT PRIMARY KEY REFERENCES events (handoff_id),
    tenant_id       TEXT NOT NULL,
    helpdesk        TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    tries           INTEGER NOT NULL DEFAULT 0,
    run_after       BIGINT NOT NULL,
    lease_until     BIGINT,
    -- The replica holding the lease (its replicaId): a replica ends only the jobs it still holds.
    lease_owner     TEXT,
    last_error      TEXT,
    analysis_tries  INTEGER NOT NULL DEFAULT 0,
    analysis_error  TEXT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
  );
  CREATE INDEX jobs_ready ON jobs (state, run_after);
  CREATE INDEX jobs_account_ready ON jobs (state, tenant_id, helpdesk, run_after);
  CREATE INDEX jobs_created ON jobs (created_at);
  CREATE INDEX jobs_lease ON jobs (lease_until) WHERE state = 'running';

  CREATE TABLE reports (
    handoff_id   TEXT PRIMARY KEY REFERENCES events (handoff_id),
    tenant_id    TEXT NOT NULL,
    helpdesk     TEXT,
    ref_id       TEXT,
    report_json  TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    -- Write order (SQLite's rowid): the newest of two reports stored in the same millisecond wins.
    seq          BIGSERIAL NOT NULL
  );
  CREATE INDEX reports_ref ON reports (tenant_id, helpdesk, ref_id, created_at);

  CREATE TABLE deliveries (
    handoff_id    TEXT PRIMARY KEY REFERENCES events (handoff_id),
    tenant_id     TEXT NOT NULL,
    helpdesk      TEXT NOT NULL,
    ref_id        TEXT,
    outcome       TEXT NOT NULL,
    delivered_at  BIGINT NOT NULL
  );

  CREATE TABLE feedback (
    id          BIGSERIAL PRIMARY KEY,
    tenant_id   TEXT NOT NULL,
    helpdesk    TEXT NOT NULL DEFAULT '',
    ref_id      TEXT NOT NULL DEFAULT '',
    handoff_id  TEXT NOT NULL,
    accurate    BOOLEAN NOT NULL,
    comment     TEXT,
    agent_id    TEXT,
    created_at  BIGINT NOT NULL
  );
  CREATE INDEX feedback_ref ON feedback (tenant_id, helpdesk, ref_id);
  CREATE INDEX feedback_handoff ON feedback (handoff_id);
  CREATE INDEX feedback_created ON feedback (created_at);

  CREATE TABLE target_bindings (
    tenant_id    TEXT NOT NULL,
    helpdesk     TEXT NOT NULL,
    await_key    TEXT NOT NULL,
    ref_id       TEXT NOT NULL,
    bound_at     BIGINT NOT NULL,
    consumed_by  TEXT,
    PRIMARY KEY (tenant_id, helpdesk, await_key, ref_id)
  );

  -- The readiness probe's real commit (one row per replica, so replicas never wait on each other's probe).
  CREATE TABLE store_probe (replica_id TEXT PRIMARY KEY, at BIGINT NOT NULL);
`;
