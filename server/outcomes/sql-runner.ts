/**
 * The few SQL calls the outcome and insights code needs, over either store: `?` placeholders (rewritten to
 * `$n` for Postgres), rows as plain objects. Numbers may come back as strings from Postgres (BIGINT, COUNT):
 * callers read them through `num()`. Each call is one statement, so no transaction spans an `await` on the
 * SQLite connection the core store shares (the outcome writes are single idempotent upserts; see outcome-store.ts).
 */
import type Database from 'better-sqlite3';
import type pg from 'pg';

/** Booleans only for Postgres BOOLEAN columns (better-sqlite3 refuses them; SQLite stores 0/1). */
export type SqlValue = string | number | boolean | null;

export interface SqlRunner {
  readonly kind: 'sqlite' | 'postgres';
  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Rows as arrays, columns in SELECT order (no object per row: the insights scan reads many). */
  rows(sql: string, params?: readonly SqlValue[]): Promise<unknown[][]>;
  /** Rows changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

export function sqliteRunner(db: Database.Database): SqlRunner {
  const cache = new Map<string, Database.Statement>();
  const prep = (sql: string): Database.Statement => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare(sql);
      cache.set(sql, s);
    }
    return s;
  };
  return {
    kind: 'sqlite',
    all: <T>(sql: string, params: readonly SqlValue[] = []) => Promise.resolve(prep(sql).all(...params) as T[]),
    rows: (sql, params = []) => {
      const key = `raw:${sql}`;
      let s = cache.get(key);
      if (!s) {
        s = db.prepare(sql).raw(true);
        cache.set(key, s);
      }
      return Promise.resolve(s.all(...params) as unknown[][]);
    },
    run: (sql, params = []) => Promise.resolve(prep(sql).run(...params).changes),
  };
}

/** `?` -> `$1, $2…` (the outcome SQL has no `?` inside string literals). */
export function toPostgresPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

export function postgresRunner(pool: pg.Pool): SqlRunner {
  const cache = new Map<string, string>();
  const text = (sql: string): string => {
    let t = cache.get(sql);
    if (t === undefined) {
      t = toPostgresPlaceholders(sql);
      cache.set(sql, t);
    }
    return t;
  };
  return {
    kind: 'postgres',
    all: async <T>(sql: string, params: readonly SqlValue[] = []) => (await pool.query(text(sql), params as SqlValue[])).rows as T[],
    rows: async (sql, params = []) => (await pool.query({ text: text(sql), values: params as SqlValue[], rowMode: 'array' })).rows as unknown[][],
    run: async (sql, params = []) => (await pool.query(text(sql), params as SqlValue[])).rowCount ?? 0,
  };
}

/** A number from either driver (Postgres BIGINT and COUNT arrive as strings); null stays null. */
export function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v ?? 0);
}

export function numOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : num(v);
}
