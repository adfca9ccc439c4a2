/**
 * Three Baton replicas on one Postgres database (issue 10): 1,000 handoffs from two tenants posted round-robin to
 * the three, one replica killed with SIGKILL mid-flight and another frozen with SIGSTOP past its lease, then
 * resumed. Every handoff must reach its Zendesk account exactly once (counted in the sandboxes' tickets by the
 * note's marker and by Idempotency-Key), none may be lost, and no tenant's account may see requests faster than
 * its budget (request times recorded by each sandbox), although three processes share it. The three start at
 * once, so they also race on the migrations.
 *
 * Runs when BATON_DATABASE_URL is set (CI: .ci/run). Each tenant is its own sandbox Zendesk account with 50 ms of
 * latency per request, served from this process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createZendeskSandbox } from '../../sandbox/zendesk/create-zendesk-sandbox.ts';
import { serveRouter, type ServedRouter } from '../../sandbox/kit/serve-router.ts';
import type { SandboxTicketSeed, ZendeskSandbox } from '../../sandbox/zendesk/types.ts';
import { signBatonPayload } from '../../server/bots/generic/verify.ts';
import { gcraShape } from '../../server/pipeline/postgres-rate-budget.ts';
import { POSTGRES_MIGRATIONS } from '../../server/store/postgres/migrations/index.ts';
import { describeIfPostgres, freshDatabase, type FreshDatabase } from '../helpers/postgres.ts';
import { freePort, waitHealthy } from '../helpers/child-server.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HANDOFFS = Number(process.env.BATON_REPLICAS_HANDOFFS ?? 1000);
const LEASE_MS = 3_000;
const CONCURRENCY = 8;
const REPLICAS = 3;
const SEEDED_FROM = 1001;
/** The north tenant's budget in requests per minute (creates: one request each); south gets twice that (GET + PUT). */
const RATE = Number(process.env.BATON_REPLICAS_RATE ?? 360);

interface Account {
  tenant: string;
  secret: string;
  /** Baton's ceiling for this account, requests per minute (the budget the sandbox must never see exceeded). */
  ceiling: number;
  sandbox: ZendeskSandbox;
  served: ServedRouter;
  /** Arrival time of every API request, ms. */
  arrivals: number[];
  /** Idempotency-Key of every ticket create. */
  keys: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function account(tenant: string, ceiling: number, seeds: SandboxTicketSeed[]): Promise<Account> {
  const sandbox = createZendeskSandbox({
    latencyMs: 50,
    // Far above Baton's ceiling: any excess is Baton's, and the sandbox's own 429s never hide it.
    rateLimitPerMinute: ceiling * 20,
    ticketUpdateLimit: { max: 1000, windowMs: 600_000 },
    credentials: { email: `${tenant}@baton.test`, apiToken: `token-${tenant}` },
    seed: seeds,
    firstTicketId: 50_001,
    // Bodies are checked by the sandbox tests; here the fake must keep up with three replicas.
    specPath: false,
  });
  const acc = { tenant, secret: `whsec_${tenant}_replicas`, ceiling, sandbox, arrivals: [] as number[], keys: [] as string[] } as Account;
  const router = express.Router();
  router.use((req, _res, next) => {
    if (req.path.startsWith('/api/')) {
      acc.arrivals.push(Date.now());
      const key = req.get('idempotency-key');
      if (req.method === 'POST' && key) acc.keys.push(key);
    }
    next();
  });
  router.use(sandbox.router);
  acc.served = await serveRouter(router);
  return acc;
}

/** Most requests seen in any window of `windowMs` (sliding over arrival times). */
function busiest(arrivals: number[], windowMs: number): number {
  const t = [...arrivals].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < t.length; j++) {
    while ((t[j] as number) - (t[i] as number) >= windowMs) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

/** Handoff ids whose marker is in a comment of a ticket, with how many comments carry each. */
function markers(sandbox: ZendeskSandbox): Map<string, number> {
  const seen = new Map<string, number>();
  for (const t of sandbox.state.tickets.values())
    for (const c of t.comments)
      for (const m of c.html_body.matchAll(/baton-handoff:(ho_[0-9a-f]{32})/g)) {
        const id = m[1] as string;
        seen.set(id, (seen.get(id) ?? 0) + 1);
      }
  return seen;
}

function seedTickets(n: number): SandboxTicketSeed[] {
  return Array.from({ length: n }, (_, i) => ({
    id: SEEDED_FROM + i,
    subject: `Chat ${i}`,
    requester: { name: `Customer ${i}`, email: `customer${i}@example.com` },
    comment: 'Opened from chat',
    created_at: '2026-11-20T10:00:00Z',
  }));
}

describeIfPostgres('three replicas on one Postgres', () => {
  let db: FreshDatabase;
  let dir: string;
  let north: Account;
  let south: Account;
  const replicas: Array<{ child: ChildProcess; url: string; id: string }> = [];
  let client: pg.Client;
  const sample = JSON.parse(readFileSync(join(ROOT, 'samples/02-double-charge-new-ticket.json'), 'utf8')) as Record<string, unknown>;

  function startReplica(i: number, port: number, configFile: string): ChildProcess {
    return spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        BATON_CONFIG: configFile,
        // Each replica its own (unused) data directory: nothing is shared but the database.
        BATON_DATA_DIR: join(dir, `replica-${i}`),
        BATON_DATABASE_URL: db.url,
        BATON_DATABASE_POOL_MAX: '5',
        BATON_REPLICA_ID: `replica-${i}`,
        LOG_LEVEL: process.env.BATON_TEST_CHILD_LOGS ? 'info' : 'error',
      },
      stdio: ['ignore', process.env.BATON_TEST_CHILD_LOGS ? 'inherit' : 'ignore', 'inherit'],
    });
  }

  beforeAll(async () => {
    db = await freshDatabase('baton_replicas');
    dir = mkdtempSync(join(tmpdir(), 'baton-replicas-'));
    const half = Math.ceil(HANDOFFS / 2);
    north = await account('north', RATE, []);
    south = await account('south', 2 * RATE, seedTickets(HANDOFFS - half));
    const configFile = join(dir, 'baton.json');
    const zendesk = (a: Account) => ({
      subdomain: a.tenant,
      baseUrl: a.served.url,
      email: `${a.tenant}@baton.test`,
      apiToken: `token-${a.tenant}`,
      maxRequestsPerMinute: a.ceiling,
      discoverFields: false,
    });
    writeFileSync(
      configFile,
      JSON.stringify({
        worker: { concurrency: CONCURRENCY, leaseMs: LEASE_MS, pollMs: 200, retry: { maxAttempts: 20, baseDelayMs: 200, maxDelayMs: 2000 } },
        tenants: [north, south].map((a) => ({ id: a.tenant, webhookSecrets: [a.secret], zendesk: zendesk(a) })),
      }),
    );
    const ports = await Promise.all(Array.from({ length: REPLICAS }, () => freePort()));
    // All three at once: they race on the migrations.
    for (let i = 0; i < REPLICAS; i++) replicas.push({ child: startReplica(i, ports[i] as number, configFile), url: `http://127.0.0.1:${ports[i]}`, id: `replica-${i}` });
    await Promise.all(replicas.map((r) => waitHealthy(r.url)));
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  }, 120_000);

  afterAll(async () => {
    for (const r of replicas) {
      if (r.child.exitCode === null && r.child.signalCode === null) {
        r.child.kill('SIGCONT');
        r.child.kill('SIGKILL');
      }
    }
    await client?.end().catch(() => undefined);
    await north?.served.close();
    await south?.served.close();
    await db?.drop().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the replicas started together and applied each migration once', async () => {
    const rows = (await client.query<{ version: number }>('SELECT version FROM baton_migrations ORDER BY version')).rows.map((r) => r.version);
    expect(rows).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version).sort((a, b) => a - b));
    expect(replicas.every((r) => r.child.exitCode === null)).toBe(true);
  });

  it('delivers every handoff exactly once through a kill -9 and a pause past the lease, within each tenant’s budget', async () => {
    const half = Math.ceil(HANDOFFS / 2);
    const accepted = new Map<string, Account>();
    // Post all handoffs round-robin over the replicas, 24 at a time.
    const bodies = Array.from({ length: HANDOFFS }, (_, i) => {
      const a = i < half ? north : south;
      const body =
        a === north
          ? { ...sample, id: `evt_n_${i}`, conversation: { id: `conv_n_${i}` }, customer: { email: `n${i}@example.com`, name: `N ${i}` } }
          : { ...sample, id: `evt_s_${i}`, conversation: { id: `conv_s_${i}` }, ticket: { id: SEEDED_FROM + (i - half) } };
      return { a, raw: JSON.stringify(body), replica: replicas[i % REPLICAS] as (typeof replicas)[number] };
    });
    let next = 0;
    await Promise.all(
      Array.from({ length: 24 }, async () => {
        while (next < bodies.length) {
          const b = bodies[next++] as (typeof bodies)[number];
          const res = await fetch(`${b.replica.url}/v1/tenants/${b.a.tenant}/handoffs`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'baton-signature': signBatonPayload(b.a.secret, b.raw) },
            body: b.raw,
          });
          expect(res.status).toBe(202);
          accepted.set(((await res.json()) as { handoffId: string }).handoffId, b.a);
        }
      }),
    );
    expect(accepted.size).toBe(HANDOFFS);

    const done = async () => Number((await client.query("SELECT count(*) AS n FROM jobs WHERE state = 'done'")).rows[0].n);
    const waitFor = async (what: string, cond: () => Promise<boolean>, ms: number) => {
      const deadline = Date.now() + ms;
      while (!(await cond())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await sleep(100);
      }
    };
    // Running jobs leased to one replica: the kill and the pause land while it holds some (not just after a round).
    const holding = async (id: string) =>
      Number((await client.query("SELECT count(*) AS n FROM jobs WHERE state = 'running' AND lease_owner = $1", [id])).rows[0].n) > 0;
    // kill -9 one replica while it holds jobs.
    await waitFor('a fifth delivered', async () => (await done()) >= HANDOFFS / 5, 120_000);
    const killed = replicas[0]!;
    await waitFor('the first replica to hold jobs', () => holding(killed.id), 120_000);
    killed.child.kill('SIGKILL');
    // Freeze another past its lease, then let it go on where it stopped.
    await waitFor('two fifths delivered', async () => (await done()) >= (2 * HANDOFFS) / 5, 120_000);
    const paused = replicas[1]!;
    await waitFor('the second replica to hold jobs', () => holding(paused.id), 120_000);
    paused.child.kill('SIGSTOP');
    await sleep(LEASE_MS * 2 + 1_000);
    paused.child.kill('SIGCONT');

    await waitFor('every job finished', async () => {
      const r = await client.query("SELECT count(*) AS n FROM jobs WHERE state IN ('queued', 'running')");
      return Number(r.rows[0].n) === 0;
    }, 240_000);

    const states = (await client.query<{ state: string; n: string }>('SELECT state, count(*) AS n FROM jobs GROUP BY state')).rows;
    expect(Object.fromEntries(states.map((s) => [s.state, Number(s.n)]))).toEqual({ done: HANDOFFS });
    // The kill and the pause made other replicas take jobs over (a second try of the same handoff).
    const retaken = Number((await client.query('SELECT count(*) AS n FROM jobs WHERE tries > 1')).rows[0].n);
    expect(retaken).toBeGreaterThan(0);

    // Exactly once: every accepted handoff's marker is in exactly one comment of its own account, nothing else is.
    for (const a of [north, south]) {
      const seen = markers(a.sandbox);
      const mine = [...accepted].filter(([, acc]) => acc === a).map(([id]) => id);
      expect(seen.size, `${a.tenant}: handoffs with a note`).toBe(mine.length);
      const twice = [...seen].filter(([, n]) => n !== 1);
      expect(twice, `${a.tenant}: handoffs written more than once`).toEqual([]);
      for (const id of mine) expect(seen.has(id), `${a.tenant}: ${id} delivered`).toBe(true);
    }
    // Creates: one ticket per handoff, each key used for one handoff only (a repeated key is a retry Zendesk dedupes).
    const created = [...north.sandbox.state.tickets.values()].filter((t) => t.id >= 50_001);
    expect(created).toHaveLength(half);
    expect(new Set(north.keys).size).toBe(half);
    // Updates: every seeded ticket carries exactly one Baton note.
    for (const t of south.sandbox.state.tickets.values()) expect(t.comments.filter((c) => c.html_body.includes('baton-handoff:')).length).toBe(1);

    // One budget for three replicas: in any window the account saw at most a burst plus the allowed rate
    // (gcraShape), with room for requests that left a replica late (a frozen replica sends what it held).
    const late = REPLICAS * CONCURRENCY;
    for (const a of [north, south]) {
      const { burst, intervalMs } = gcraShape(a.ceiling);
      for (const w of [2_000, 5_000, 10_000, 30_000, 60_000]) {
        const allowed = Math.min(burst + Math.ceil(w / intervalMs), Math.ceil((a.ceiling * Math.max(w, 60_000)) / 60_000)) + late;
        expect(busiest(a.arrivals, w), `${a.tenant}: requests in ${w / 1000} s (budget ${a.ceiling}/min)`).toBeLessThanOrEqual(allowed);
      }
    }
  }, 420_000);
});
