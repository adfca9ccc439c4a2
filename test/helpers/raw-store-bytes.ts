/** Raw-byte search of a SQLite store's files (database, WAL, shared memory): what a disk image would show. */
import { existsSync, readFileSync } from 'node:fs';

export const STORE_SUFFIXES = ['', '-wal', '-shm'] as const;

/** The store files (of `dbFile`) whose bytes contain `needle`, e.g. ['baton.sqlite-wal']. */
export function filesContaining(dbFile: string, needle: string): string[] {
  const bytes = Buffer.from(needle, 'utf8');
  return STORE_SUFFIXES.map((s) => `${dbFile}${s}`).filter((f) => existsSync(f) && readFileSync(f).includes(bytes));
}

/** A random Luhn-valid 16-digit Visa-style number, grouped "4xxx xxxx xxxx xxxx", unique per test run. */
export function plantedCard(): { spaced: string; digits: string } {
  const body = `4${Array.from({ length: 14 }, () => Math.floor(Math.random() * 10)).join('')}`;
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    let d = Number(body[14 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  const digits = `${body}${(10 - (sum % 10)) % 10}`;
  return { digits, spaced: digits.replace(/(\d{4})(?=\d)/g, '$1 ') };
}
