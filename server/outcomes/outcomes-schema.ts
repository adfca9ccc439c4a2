/**
 * The outcome tables (issue 11), one SQL text for SQLite and Postgres: times are BIGINT epoch milliseconds,
 * no dialect-only types. `handoff_outcomes` holds one row per delivered handoff with the dimensions insights
 * group by, copied from the report when it is stored, so an insights query reads this table only (no JSON).
 * `outcome_events` keeps every helpdesk event once (dedupe by the helpdesk's own event key) whether or not its
 * handoff row exists yet, so events that arrive before the handoff are applied when it lands.
 */
export const OUTCOMES_SQL = `
  CREATE TABLE handoff_outcomes (
    tenant_id            TEXT NOT NULL,
    handoff_id           TEXT NOT NULL,
    helpdesk             TEXT NOT NULL,
    ref_id               TEXT NOT NULL,
    customer_key         TEXT,
    accepted_at          BIGINT NOT NULL,
    day                  BIGINT NOT NULL,
    reason               TEXT NOT NULL,
    topic                TEXT NOT NULL,
    bot                  TEXT NOT NULL,
    source               TEXT NOT NULL,
    channel              TEXT NOT NULL,
    priority             TEXT NOT NULL,
    group_key            TEXT NOT NULL,
    sentiment            TEXT NOT NULL,
    reason_key           TEXT,
    reason_text          TEXT,
    customer_text        TEXT NOT NULL DEFAULT '',
    first_human_reply_at BIGINT,
    solved_at            BIGINT,
    reopened_count       INTEGER NOT NULL DEFAULT 0,
    repeat_yourself      INTEGER,
    repeat_score         REAL,
    repeat_evidence      TEXT,
    re_escalation_of     TEXT,
    PRIMARY KEY (tenant_id, handoff_id)
  );
  -- Covers every column the insights queries read for a tenant's date range, so they never touch the rows
  -- (which carry the customer's pre-handoff text): index-only scans on SQLite and Postgres.
  CREATE INDEX handoff_outcomes_time ON handoff_outcomes (tenant_id, accepted_at, day, reason, topic, bot, channel,
    sentiment, priority, group_key, first_human_reply_at, solved_at, reopened_count, repeat_yourself, re_escalation_of,
    reason_key, handoff_id);
  CREATE INDEX handoff_outcomes_ref ON handoff_outcomes (tenant_id, helpdesk, ref_id, accepted_at);
  CREATE INDEX handoff_outcomes_customer ON handoff_outcomes (tenant_id, customer_key, accepted_at);
  CREATE INDEX handoff_outcomes_handoff ON handoff_outcomes (handoff_id);
  CREATE TABLE outcome_events (
    tenant_id    TEXT NOT NULL,
    helpdesk     TEXT NOT NULL,
    event_key    TEXT NOT NULL,
    ref_id       TEXT NOT NULL,
    kind         TEXT NOT NULL,
    at           BIGINT NOT NULL,
    received_at  BIGINT NOT NULL,
    text         TEXT,
    PRIMARY KEY (tenant_id, helpdesk, event_key)
  );
  CREATE INDEX outcome_events_ref ON outcome_events (tenant_id, helpdesk, ref_id, at);
  CREATE TABLE outcome_rejections (
    tenant_id    TEXT NOT NULL,
    handoff_id   TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    accepted_at  BIGINT NOT NULL,
    kind         TEXT NOT NULL,
    text_key     TEXT NOT NULL,
    text         TEXT NOT NULL,
    url          TEXT,
    PRIMARY KEY (tenant_id, handoff_id, seq)
  );
  CREATE INDEX outcome_rejections_time ON outcome_rejections (tenant_id, accepted_at);
  CREATE INDEX outcome_rejections_handoff ON outcome_rejections (handoff_id);
`;
