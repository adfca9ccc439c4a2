import { describe, expect, it } from 'vitest';
import { AccountRateLimiter } from '../../../server/pipeline/rate-limiter.ts';
import { readZendeskRateLimit } from '../../../server/helpdesks/zendesk/rate-limit.ts';

function fakeClock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms), sleep: async (ms: number) => void (t += ms) };
}

describe('per-account rate limiter', () => {
  it('never sends more than the configured ceiling in any minute', async () => {
    const c = fakeClock();
    const limiter = new AccountRateLimiter(() => 10, c.now, c.sleep);
    const sentAt: number[] = [];
    for (let i = 0; i < 35; i++) {
      await limiter.acquire('acme');
      sentAt.push(c.now());
      c.advance(100);
    }
    for (let i = 10; i < sentAt.length; i++) expect((sentAt[i] as number) - (sentAt[i - 10] as number)).toBeGreaterThanOrEqual(60_000);
  });

  it('learns the account limit from Zendesk headers and keeps a margin under it', () => {
    const c = fakeClock();
    const limiter = new AccountRateLimiter(() => 1000, c.now, c.sleep);
    expect(limiter.limitFor('acme')).toBe(1000);
    limiter.observe('acme', readZendeskRateLimit({ 'x-rate-limit': '200', 'x-rate-limit-remaining': '150' }));
    expect(limiter.limitFor('acme')).toBe(160);
  });

  it('caps a learned limit by the configured ceiling, on the limiter that learned it', () => {
    const c = fakeClock();
    const limiter = new AccountRateLimiter(() => 100, c.now, c.sleep);
    // Learned from the IETF header name: 50 × 0.8 = 40, under the ceiling.
    limiter.observe('small', readZendeskRateLimit({ 'ratelimit-limit': '50' }));
    expect(limiter.limitFor('small')).toBe(40);
    // A larger account limit does not lift Baton above its own ceiling.
    limiter.observe('small', readZendeskRateLimit({ 'ratelimit-limit': '700' }));
    expect(limiter.limitFor('small')).toBe(100);
    // Other tenants keep the ceiling.
    expect(limiter.limitFor('other')).toBe(100);
  });

  it('pauses one account only, until the given time', () => {
    const c = fakeClock();
    const limiter = new AccountRateLimiter(() => 100, c.now, c.sleep);
    limiter.pause('acme', c.now() + 30_000);
    expect(limiter.pausedAccounts()).toEqual(new Set(['acme']));
    expect(limiter.waitFor('acme')).toBe(30_000);
    expect(limiter.waitFor('globex')).toBe(0);
    c.advance(30_000);
    expect(limiter.pausedAccounts().size).toBe(0);
  });

  it('holds off when the account is spent until the window resets', () => {
    const c = fakeClock();
    const limiter = new AccountRateLimiter(() => 100, c.now, c.sleep);
    limiter.observe('acme', readZendeskRateLimit({ 'ratelimit-limit': '400', 'ratelimit-remaining': '0', 'ratelimit-reset': '12' }));
    expect(limiter.waitFor('acme')).toBe(12_000);
  });

  it('keeps one budget per account: a tenant paused at one helpdesk still sends to another', () => {
    const c = fakeClock();
    const limiter = new AccountRateLimiter((key) => (key.startsWith('zendesk:') ? 100 : 50), c.now, c.sleep);
    limiter.pause('zendesk:acme', c.now() + 30_000);
    expect(limiter.waitFor('zendesk:acme')).toBe(30_000);
    expect(limiter.waitFor('intercom:acme')).toBe(0);
    expect(limiter.limitFor('intercom:acme')).toBe(50);
    limiter.observe('intercom:acme', { limitPerMinute: 20 });
    expect(limiter.limitFor('intercom:acme')).toBe(16);
    expect(limiter.limitFor('zendesk:acme')).toBe(100);
  });
});

describe('Zendesk rate-limit headers', () => {
  it('reads the legacy and the IETF names, and ignores what is missing or not a number', () => {
    expect(readZendeskRateLimit({ 'x-rate-limit': '700', 'x-rate-limit-remaining': '12' })).toEqual({ limitPerMinute: 700, remaining: 12 });
    expect(readZendeskRateLimit({ 'ratelimit-limit': '400', 'ratelimit-remaining': '0', 'ratelimit-reset': '12' })).toEqual({ limitPerMinute: 400, remaining: 0, resetInMs: 12_000 });
    expect(readZendeskRateLimit({ 'x-rate-limit': 'lots', 'ratelimit-reset': '' })).toEqual({});
  });
});
