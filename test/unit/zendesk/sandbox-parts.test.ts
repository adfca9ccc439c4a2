import { describe, expect, it } from 'vitest';
import { isAuthorized, matchRoute } from '../../../sandbox/zendesk/create-zendesk-sandbox.ts';
import { canonicalJson, createIdempotencyStore } from '../../../sandbox/zendesk/idempotency-store.ts';
import { createResponseScript } from '../../../sandbox/zendesk/response-script.ts';
import { htmlToPlainText, sanitizeCommentHtml } from '../../../sandbox/kit/sanitize-comment-html.ts';
import { createSlidingWindowLimiter } from '../../../sandbox/zendesk/sliding-window-limiter.ts';
import { normalizeTags } from '../../../sandbox/zendesk/ticket-store.ts';
import { renderNoteHtml } from '../../../server/helpdesks/zendesk/render-note.ts';
import { SAMPLE_HANDOFF_ID, sampleReport } from '../../fixtures/sample-report.ts';

const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;

describe('matchRoute', () => {
  it.each([
    ['POST', '/api/v2/tickets.json', { operation: 'CreateTicket' }],
    ['POST', '/api/v2/tickets', { operation: 'CreateTicket' }],
    ['PUT', '/api/v2/tickets/35436.json', { operation: 'UpdateTicket', ticketId: 35436 }],
    ['GET', '/api/v2/tickets/35436', { operation: 'ShowTicket', ticketId: 35436 }],
    ['GET', '/api/v2/tickets/35436/comments.json', { operation: 'ListTicketComments', ticketId: 35436 }],
    ['DELETE', '/api/v2/tickets/35436', { ticketId: 35436 }],
    ['GET', '/api/v2/tickets.json', { operation: 'ListTickets' }],
    ['DELETE', '/api/v2/tickets', {}],
    ['GET', '/api/v2/tickets/abc', {}],
    ['GET', '/api/v2/users/me.json', {}],
  ])('%s %s', (method, path, expected) => {
    expect(matchRoute(method, path)).toEqual(expected);
  });
});

describe('isAuthorized', () => {
  const creds = [{ email: 'bot@acme.test', apiToken: 'tok_1' }, { oauthToken: 'oauth_1' }];
  it('accepts API-token Basic auth (email case-insensitive) and a configured bearer token', () => {
    expect(isAuthorized(basic('bot@acme.test/token:tok_1'), creds)).toBe(true);
    expect(isAuthorized(basic('BOT@acme.test/token:tok_1'), creds)).toBe(true);
    expect(isAuthorized('Bearer oauth_1', creds)).toBe(true);
  });
  it('refuses everything else', () => {
    for (const h of [undefined, '', 'Basic', basic('bot@acme.test:tok_1'), basic('bot@acme.test/token:tok_2'), basic('x@acme.test/token:tok_1'), 'Bearer tok_1', 'Token tok_1', 'Basic !!!'])
      expect(isAuthorized(h, creds)).toBe(false);
  });
});

describe('sliding window limiter', () => {
  it('counts requests in a sliding window and says when room frees up', () => {
    const l = createSlidingWindowLimiter(2, 60_000);
    expect(l.take('a', 0)).toMatchObject({ allowed: true, remaining: 1 });
    expect(l.take('a', 20_000)).toMatchObject({ allowed: true, remaining: 0, resetSec: 40 });
    expect(l.take('a', 30_000)).toMatchObject({ allowed: false, remaining: 0, resetSec: 30 });
    expect(l.take('b', 30_000)).toMatchObject({ allowed: true });
    expect(l.take('a', 59_999)).toMatchObject({ allowed: false, resetSec: 1 });
    expect(l.take('a', 60_000)).toMatchObject({ allowed: true, remaining: 0 });
    l.reset();
    expect(l.take('a', 60_000)).toMatchObject({ allowed: true, remaining: 1 });
  });
});

describe('idempotency store', () => {
  it('replays, refuses a different body, and expires keys', () => {
    const s = createIdempotencyStore(1000);
    expect(s.lookup('k', 'f1', 0)).toEqual({ kind: 'miss' });
    s.store('k', 'f1', { status: 201, headers: {}, body: { id: 1 } }, 0);
    expect(s.lookup('k', 'f1', 999)).toEqual({ kind: 'hit', response: { status: 201, headers: {}, body: { id: 1 } } });
    expect(s.lookup('k', 'f2', 999)).toEqual({ kind: 'mismatch' });
    expect(s.lookup('k', 'f1', 1000)).toEqual({ kind: 'miss' });
    expect(s.size()).toBe(0);
  });
  it('fingerprints bodies independent of key order', () => {
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: 1 }] })).toBe(canonicalJson({ a: [{ x: 1, y: 2 }], b: 1 }));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
  });
});

describe('response script', () => {
  it('hands out one-shot responses to the first matching request', () => {
    const s = createResponseScript();
    s.next({ status: 500, match: { method: 'PUT' } });
    s.next({ status: 429 });
    expect(s.take('GET', '/api/v2/tickets/1')?.status).toBe(429);
    expect(s.take('GET', '/api/v2/tickets/1')).toBeUndefined();
    expect(s.take('PUT', '/api/v2/tickets/1.json')?.status).toBe(500);
    s.next({ status: 409, match: { path: /comments/ } });
    expect(s.take('GET', '/api/v2/tickets/1')).toBeUndefined();
    expect(s.take('GET', '/api/v2/tickets/1/comments')?.status).toBe(409);
  });
});

describe('sanitizeCommentHtml', () => {
  it('keeps Baton’s note intact', () => {
    const html = renderNoteHtml(sampleReport(), SAMPLE_HANDOFF_ID);
    expect(sanitizeCommentHtml(html)).toBe(html);
  });
  it('removes scripts, event handlers, unsafe links and unknown tags; closes what is left open', () => {
    expect(sanitizeCommentHtml('<p onclick="x()">a<script>alert(1)</script><img src=x onerror=alert(1)><strong>b')).toBe('<p>a<strong>b</strong></p>');
    expect(sanitizeCommentHtml('<a href="javascript:alert(1)">x</a><a href=\'https://ok.example/?a=1&amp;b=2\'>y</a>')).toBe(
      '<a>x</a><a href="https://ok.example/?a=1&amp;b=2" rel="noopener noreferrer" target="_blank">y</a>',
    );
    expect(sanitizeCommentHtml('1 < 2 & 3 > 2 &lt;ok&gt; <!-- hidden --><style>p{}</style>')).toBe('1 &lt; 2 &amp; 3 &gt; 2 &lt;ok&gt; ');
    expect(sanitizeCommentHtml('</p>text</em>')).toBe('text');
  });
  it('derives plain text from comment HTML', () => {
    expect(htmlToPlainText('<h3>Title</h3><p>a &amp; b<br>c</p><ul><li>one</li></ul>')).toBe('Title\na & b\nc\n- one');
  });
});

describe('normalizeTags', () => {
  it('splits on spaces, lowercases, dedupes', () => {
    expect(normalizeTags('VIP  urgent vip')).toEqual(['vip', 'urgent']);
    expect(normalizeTags(['a b', 'A', 3, null])).toEqual(['a', 'b', '3']);
    expect(normalizeTags(undefined)).toEqual([]);
  });
});
