/**
 * Postgres migration 2 (issue 13): tenants kept in the store, as on SQLite
 * (server/store/sqlite-migrations/0007-tenants.ts): the whole tenant document sealed with AES-256-GCM, the
 * per-helpdesk disconnected state, and a revision counter every write bumps (replicas poll it). Times are
 * BIGINT epoch ms.
 */
export const TENANTS_MIGRATION = `
  CREATE TABLE IF NOT EXISTS tenants (
    id          TEXT PRIMARY KEY,
    sealed      TEXT NOT NULL,
    key_id      TEXT NOT NULL,
    version     BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS tenant_helpdesk_state (
    tenant_id        TEXT NOT NULL,
    helpdesk         TEXT NOT NULL,
    disconnected_at  BIGINT NOT NULL,
    reason           TEXT NOT NULL,
    PRIMARY KEY (tenant_id, helpdesk)
  );
  CREATE TABLE IF NOT EXISTS tenant_revision (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    revision  BIGINT NOT NULL
  );
  INSERT INTO tenant_revision (id, revision) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
`;
