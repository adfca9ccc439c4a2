import { describe, expect, it } from 'vitest';
import { AxiosError, AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import intercomModule from '../../../server/helpdesks/intercom/index.ts';
import { parseIntercomConfig, REGION_BASE_URLS } from '../../../server/helpdesks/intercom/intercom-config.ts';
import { readIntercomRateLimit } from '../../../server/helpdesks/intercom/rate-limit.ts';
import { classifyIntercomFailure } from '../../../server/helpdesks/intercom/classify-failure.ts';
import { intercomHandoffTags, tagPart } from '../../../server/helpdesks/intercom/tags.ts';
import { attributeValues, updateBody } from '../../../server/helpdesks/intercom/writer.ts';
import { PermanentError } from '../../../server/pipeline/retry-policy.ts';
import { ConfigError } from '../../../server/config-error.ts';
import { sampleReport, SAMPLE_HANDOFF_ID } from '../../fixtures/sample-report.ts';

function httpError(status: number, url: string, headers: Record<string, string> = {}, method = 'post'): AxiosError {
  const config = { url, method, headers: new AxiosHeaders() } as InternalAxiosRequestConfig;
  return new AxiosError(`status ${status}`, 'ERR_BAD_RESPONSE', config, {}, { status, statusText: '', headers, config, data: { type: 'error.list', errors: [{ code: 'x' }] } });
}

describe('Intercom config', () => {
  it('accepts the issue’s example exactly as written and fills defaults', () => {
    const c = parseIntercomConfig({ accessToken: 'ic_tok_1', adminId: '814860', clientSecret: 'ic_client_secret_1', region: 'us', baseUrl: 'http://127.0.0.1:9200' }, 'tenants[0].intercom');
    expect(c).toEqual({
      accessToken: 'ic_tok_1',
      adminId: '814860',
      clientSecret: 'ic_client_secret_1',
      region: 'us',
      baseUrl: 'http://127.0.0.1:9200',
      maxRequestsPerMinute: 1000,
      workflowHandoffs: false,
      setPriority: false,
      attributes: {},
    });
  });

  it('defaults the base URL by region and refuses a bad region or admin id naming the key', () => {
    for (const region of ['us', 'eu', 'au'] as const) {
      expect(parseIntercomConfig({ accessToken: 't', adminId: 1, clientSecret: 'secret_12', region }, 'p').baseUrl).toBe(REGION_BASE_URLS[region]);
    }
    expect(REGION_BASE_URLS).toEqual({ us: 'https://api.intercom.io', eu: 'https://api.eu.intercom.io', au: 'https://api.au.intercom.io' });
    expect(() => parseIntercomConfig({ accessToken: 't', adminId: '1', clientSecret: 'secret_12', region: 'ca' }, 'tenants[2].intercom')).toThrow(/tenants\[2\]\.intercom\.region/);
    expect(() => parseIntercomConfig({ accessToken: 't', adminId: 'bob', clientSecret: 'secret_12' }, 'tenants[2].intercom')).toThrow(ConfigError);
  });
});

describe('Intercom rate-limit headers', () => {
  it('scales the 10-second window limit to a minute and turns the reset epoch into a wait', () => {
    const now = 1_487_332_500_000;
    expect(readIntercomRateLimit({ 'x-ratelimit-limit': '167', 'x-ratelimit-remaining': '166', 'x-ratelimit-reset': '1487332510' }, now)).toEqual({
      limitPerMinute: 1002,
      remaining: 166,
      resetInMs: 10_000,
    });
    expect(readIntercomRateLimit({}, now)).toEqual({});
    expect(readIntercomRateLimit({ 'x-ratelimit-limit': 'lots', 'x-ratelimit-remaining': '-1', 'x-ratelimit-reset': '1487332400' }, now)).toEqual({ resetInMs: 0 });
    expect(intercomModule.readRateLimit({ 'x-ratelimit-remaining': '0' })).toEqual({ remaining: 0 });
  });
});

describe('Intercom failure verdicts', () => {
  const now = 1_487_332_500_000;
  it('pauses the whole account on 429 until X-RateLimit-Reset (or a later Retry-After)', () => {
    expect(classifyIntercomFailure(httpError(429, '/conversations/1/reply', { 'x-ratelimit-reset': '1487332520' }), now)).toMatchObject({ action: 'retry', notBeforeMs: 20_000, accountWide: true });
    expect(classifyIntercomFailure(httpError(429, '/tags', { 'x-ratelimit-reset': '1487332505', 'retry-after': '30' }), now)).toMatchObject({ notBeforeMs: 30_000, accountWide: true });
    expect(classifyIntercomFailure(httpError(429, '/tags'), now)).toMatchObject({ notBeforeMs: 10_000, accountWide: true });
  });

  it('dead-letters a rejected token and a missing conversation, naming them', () => {
    // Issue 13: a revoked token disconnects the helpdesk (the worker defers the job), it is not a dead letter.
    expect(classifyIntercomFailure(httpError(401, '/conversations/1/reply'), now)).toEqual({ action: 'retry', reason: 'Intercom access token rejected (401 on POST /conversations/1/reply)', accountWide: true, disconnected: true });
    expect(classifyIntercomFailure(httpError(403, '/tags', {}, 'get'), now)).toMatchObject({ action: 'dead', reason: expect.stringMatching(/^Intercom access token rejected \(403/) });
    expect(classifyIntercomFailure(httpError(404, '/conversations/215468352873095', {}, 'get'), now)).toMatchObject({
      action: 'dead',
      reason: expect.stringMatching(/^Intercom conversation 215468352873095 not found/),
    });
  });

  it('retries 5xx and network errors; other 4xx and PermanentError are dead (the common policy)', () => {
    expect(classifyIntercomFailure(httpError(503, '/conversations/1/reply'), now)).toMatchObject({ action: 'retry' });
    expect(classifyIntercomFailure(new AxiosError('reset', 'ECONNRESET'), now)).toMatchObject({ action: 'retry' });
    expect(classifyIntercomFailure(httpError(400, '/conversations/1/reply'), now)).toMatchObject({ action: 'dead' });
    expect(classifyIntercomFailure(new PermanentError('nope'), now)).toEqual({ action: 'dead', reason: 'nope' });
    expect(intercomModule.classifyFailure(httpError(429, '/tags'), now)).toMatchObject({ accountWide: true });
  });
});

describe('Intercom tags, attributes and targets', () => {
  it('names the four tags like the Zendesk ones, [a-z0-9_] only', () => {
    const report = sampleReport();
    const tags = intercomHandoffTags(report);
    expect(tags).toEqual(['baton_handoff', `baton_reason_${report.primaryTrigger}`, `baton_sentiment_${report.sentiment.label}`, `baton_topic_${report.topic.id}`]);
    expect(tags.every((t) => /^[a-z0-9_]{1,80}$/.test(t))).toBe(true);
    expect(tagPart('  Café — Billing/Refunds!! ')).toBe('cafe_billing_refunds');
    expect(tagPart('***')).toBe('unknown');
  });

  it('fills only the data attributes the tenant names; priority only when asked and urgent', () => {
    const report = sampleReport();
    const config = parseIntercomConfig({ accessToken: 't', adminId: '1', clientSecret: 'secret_12', attributes: { sentiment: 'Baton sentiment', handoffId: 'Baton handoff' } }, 'p');
    expect(attributeValues(config, SAMPLE_HANDOFF_ID, report)).toEqual({ 'Baton sentiment': report.sentiment.label, 'Baton handoff': SAMPLE_HANDOFF_ID });
    expect(updateBody({ ...config, attributes: {} }, SAMPLE_HANDOFF_ID, report)).toBeUndefined();
    const urgent = { ...report, priority: { ...report.priority, level: 'urgent' as const } };
    expect(updateBody({ attributes: {}, setPriority: true }, SAMPLE_HANDOFF_ID, urgent)).toEqual({ priority: 'priority' });
    expect(updateBody({ attributes: {}, setPriority: true }, SAMPLE_HANDOFF_ID, { ...urgent, priority: { ...urgent.priority, level: 'high' as const } })).toBeUndefined();
  });

  it('takes intercom.conversationId from a generic event, and says why it cannot create a conversation', () => {
    expect(intercomModule.targetFromGeneric({ intercom: { conversationId: '215468352873095' } })).toEqual({ helpdesk: 'intercom', id: '215468352873095' });
    expect(intercomModule.targetFromGeneric({ ticket: { id: 1 } })).toBeUndefined();
    expect(intercomModule.targetFromGeneric({ intercom: { conversationId: '' } })).toBeUndefined();
    expect(intercomModule.cannotCreate).toMatch(/names none/);
  });
});
