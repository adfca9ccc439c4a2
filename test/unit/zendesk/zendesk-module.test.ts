/** The Zendesk HelpdeskModule as the registry hands it out: the seam's contract, filled in for Zendesk. */
import { describe, expect, it } from 'vitest';
import { AxiosError, AxiosHeaders, type AxiosResponse } from 'axios';
import { helpdeskModule, helpdeskNames } from '../../../server/helpdesks/registry.ts';
import { ConfigError } from '../../../server/config.ts';
import type { ZendeskConfig } from '../../../server/helpdesks/zendesk/zendesk-config.ts';
import { trimTrailingSlashes } from '../../../server/util/trim-trailing-slashes.ts';

function httpError(status: number, headers: Record<string, string> = {}): AxiosError {
  const config = { method: 'put', url: '/api/v2/tickets/1.json', headers: new AxiosHeaders() };
  const response = { status, statusText: '', headers, data: {}, config } as unknown as AxiosResponse;
  return new AxiosError(`status ${status}`, 'ERR_BAD_RESPONSE', config, {}, response);
}

const zendesk = helpdeskModule('zendesk')!;

describe('the Zendesk module', () => {
  it('is registered first, under the name its config section uses', () => {
    expect(helpdeskNames()[0]).toBe('zendesk');
    expect(zendesk.name).toBe('zendesk');
    expect(helpdeskModule('nope')).toBeUndefined();
  });

  it('targets ticket.id only, as a string; can create, and needs two requests a write', () => {
    expect(zendesk.targetFromGeneric({ ticket: { id: 35436 } })).toEqual({ helpdesk: 'zendesk', id: '35436' });
    expect(zendesk.targetFromGeneric({ ticket: { id: '12' } })).toEqual({ helpdesk: 'zendesk', id: '12' });
    for (const body of [{}, { ticket: null }, { ticket: { id: 0 } }, { ticket: { id: 2 ** 60 } }, { ticket: { id: '007' } }, { intercom: { conversationId: '1' } }])
      expect(zendesk.targetFromGeneric(body)).toBeUndefined();
    expect(zendesk.cannotCreate).toBeUndefined();
    expect(zendesk.requestsPerWrite).toBe(2);
  });

  it('parses its section with defaults, naming the path on a bad value', () => {
    const c = zendesk.parseConfig({ subdomain: 'acme', oauthToken: 't', baseUrl: 'http://127.0.0.1:9100///' }, 'tenants[3].zendesk') as ZendeskConfig;
    expect(c).toMatchObject({ baseUrl: 'http://127.0.0.1:9100', maxRequestsPerMinute: 300, setPriority: true, setGroup: true, discoverFields: true, customFields: {} });
    expect(zendesk.ceilingPerMinute({ ...c, maxRequestsPerMinute: 120 })).toBe(120);
    expect(() => zendesk.parseConfig({ subdomain: 'acme' }, 'tenants[3].zendesk')).toThrow(new ConfigError('tenants[3].zendesk needs either "oauthToken" or both "email" and "apiToken"'));
    expect(trimTrailingSlashes('/'.repeat(100_000))).toBe('');
  });

  it("pauses the whole account on a 429 (Zendesk's limits are account-wide), not on other failures", () => {
    const now = Date.parse('2026-11-21T12:00:00Z');
    expect(zendesk.classifyFailure(httpError(429, { 'retry-after': '9' }), now)).toMatchObject({ action: 'retry', notBeforeMs: 9000, accountWide: true });
    expect(zendesk.classifyFailure(httpError(503), now)).toEqual({ action: 'retry', reason: '503 on PUT /api/v2/tickets/1.json' });
    expect(zendesk.classifyFailure(httpError(404), now)).toMatchObject({ action: 'dead' });
  });

  it('reads its rate-limit headers', () => {
    expect(zendesk.readRateLimit({ 'x-rate-limit': '700', 'x-rate-limit-remaining': '3' })).toEqual({ limitPerMinute: 700, remaining: 3 });
  });
});
