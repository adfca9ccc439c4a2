/**
 * Item 2 of issue 7: one sender cannot fail another's batch. Deeply nested bodies from one tenant, sent
 * concurrently with good handoffs from another, used to make JSON.stringify throw inside the group commit and
 * fail every event in the batch with 503.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { ACME, GLOBEX, startHarness, type Harness } from '../helpers/harness.ts';
import { signBatonPayload } from '../../server/bots/generic/verify.ts';

const example = readFileSync(new URL('../../samples/01-lost-cancellation.json', import.meta.url), 'utf8');

let h: Harness;
beforeAll(async () => {
  // Worker off: this is about what the endpoint answers and stores.
  h = await startHarness({ worker: false, maxBodyBytes: 64 * 1024 });
});
afterAll(() => h?.close());

function body(id: string, mutate?: (o: Record<string, unknown>) => void): string {
  const o = JSON.parse(example) as Record<string, unknown>;
  o.id = id;
  mutate?.(o);
  return JSON.stringify(o);
}

/** Passes the schema (unknown top-level fields are allowed) but nests 10,000 arrays deep: ~20 KB. */
function deeplyNested(id: string): string {
  return body(id).replace(/}\s*$/, `,"extra":${'['.repeat(10_000)}${']'.repeat(10_000)}}`);
}

/**
 * Sends every request at once over connections opened beforehand: all bytes reach the kernel before the
 * server's next poll, so the server reads them in one turn and they share a group commit (fetch from the same
 * process would trickle them in one per turn).
 */
async function sendTogether(port: number, posts: Array<{ tenant: string; body: string }>): Promise<number[]> {
  const sockets = await Promise.all(
    posts.map(async () => {
      const s = connect(port, '127.0.0.1');
      await once(s, 'connect');
      return s;
    }),
  );
  // The server accepts about one connection per event-loop turn: let it take them all before anything is sent.
  for (let i = 0; i < posts.length * 2; i++) await new Promise((r) => setImmediate(r));
  return Promise.all(
    posts.map(
      ({ tenant, body }, i) =>
        new Promise<number>((resolve, reject) => {
          const secret = tenant === 'globex' ? GLOBEX.secrets[0] : ACME.secrets[0];
          const req = request(
            {
              method: 'POST',
              path: `/v1/tenants/${tenant}/handoffs`,
              headers: { 'Content-Type': 'application/json', 'Baton-Signature': signBatonPayload(secret as string, body), Connection: 'close' },
              createConnection: () => sockets[i] as Socket,
            },
            (res) => {
              res.resume();
              res.on('end', () => resolve(res.statusCode ?? 0));
            },
          );
          req.on('error', reject);
          req.end(body);
        }),
    ),
  );
}

describe('a mixed batch from two tenants', () => {
  it('answers every good handoff 202 and every deeply nested one 422, none 503', async () => {
    // The bad ones interleaved with the good, sent at once so they share group commits.
    const posts: Array<{ tenant: string; body: string }> = [];
    for (let i = 0; i < 200; i++) {
      posts.push({ tenant: 'acme', body: body(`evt_good_${i}`) });
      if (i % 40 === 20) posts.push({ tenant: 'globex', body: deeplyNested(`evt_deep_${i}`) });
    }
    const statuses = await sendTogether(h.baton.port, posts);
    const good = statuses.filter((_, i) => posts[i]?.tenant === 'acme');
    const bad = statuses.filter((_, i) => posts[i]?.tenant === 'globex');
    expect({ good503: good.filter((s) => s === 503).length, bad503: bad.filter((s) => s === 503).length }).toEqual({ good503: 0, bad503: 0 });
    expect(good).toEqual(good.map(() => 202));
    expect(bad).toEqual(bad.map(() => 422));
    // The error names the field path, stopping at the depth limit.
    const one = await h.post('globex', deeplyNested('evt_deep_one'));
    expect(one.status).toBe(422);
    const { error } = (await one.json()) as { error: { code: string; details: Array<{ field: string; problem: string }> } };
    expect(error.code).toBe('invalid_handoff');
    expect(error.details[0]?.field).toMatch(/^extra(\[0\]){31}$/);
    const stored = (await h.baton.store.listJobs({ tenantId: 'acme', limit: 1000 })).filter((j) => j.eventId.startsWith('generic:evt_good_'));
    expect(stored).toHaveLength(200);
    expect(await h.baton.store.listJobs({ tenantId: 'globex', limit: 1000 })).toHaveLength(0);
  });

  it('accepts nesting up to the limit', async () => {
    const res = await h.post('acme', body('evt_nested_ok').replace(/}\s*$/, `,"extra":${'['.repeat(30)}${']'.repeat(30)}}`));
    expect(res.status).toBe(202);
  });
});
