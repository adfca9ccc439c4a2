/**
 * Vitest setup (every test file): BATON_DATABASE_URL names the Postgres server tests may create databases on
 * (CI: .ci/run), not the store of every Baton a test starts. It is moved to BATON_TEST_DATABASE_URL, which only
 * test/helpers/postgres.ts reads, so a child server or CLI spawned with `...process.env` keeps its own SQLite data
 * directory unless the test hands it a database URL on purpose (each test's own fresh database).
 */
const url = process.env.BATON_DATABASE_URL;
if (url && !process.env.BATON_TEST_DATABASE_URL) process.env.BATON_TEST_DATABASE_URL = url;
delete process.env.BATON_DATABASE_URL;
