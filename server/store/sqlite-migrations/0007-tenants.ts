/**
 * SQLite migration 7 (issue 13): tenants kept in the store (server/tenants/tenant-store.ts).
 * `sealed` is the whole tenant document (helpdesk sections, bots, secrets) sealed with AES-256-GCM
 * (server/tenants/secret-box.ts), so no secret and no helpdesk token is in the file in clear, whatever a
 * helpdesk or bot section calls its credential fields. `tenant_revision` is bumped by every write in the same
 * transaction: other processes poll it to refresh their cache. IF NOT EXISTS: the tenant store applies this
 * too, for data dirs where slot 7 ran as a placeholder.
 */
export const TENANTS_MIGRATION = `
  CREATE TABLE IF NOT EXISTS tenants (
    id          TEXT PRIMARY KEY,
    sealed      TEXT NOT NULL,
    key_id      TEXT NOT NULL,
    version     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS tenant_helpdesk_state (
    tenant_id        TEXT NOT NULL,
    helpdesk         TEXT NOT NULL,
    disconnected_at  INTEGER NOT NULL,
    reason           TEXT NOT NULL,
    PRIMARY KEY (tenant_id, helpdesk)
  );
  CREATE TABLE IF NOT EXISTS tenant_revision (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    revision  INTEGER NOT NULL
  );
  INSERT OR IGNORE INTO tenant_revision (id, revision) VALUES (1, 0);
`;
