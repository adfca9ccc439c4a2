/**
 * The outcome webhook and triggers requirements.json installs (issue 11) send what Baton's route reads: the
 * endpoint is the route, every trigger's JSON (placeholders filled as Zendesk would) parses into the event it is
 * for, and the first-reply trigger tags the ticket so it fires once.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OUTCOMES_WEBHOOK_PATH, parseZendeskOutcome } from '../../../server/helpdesks/zendesk/outcome-webhook.ts';

interface Condition { field: string; operator?: string; value: unknown }
const req = JSON.parse(readFileSync(new URL('../../../requirements.json', import.meta.url), 'utf8')) as {
  webhooks: Record<string, { endpoint: string; signing_secret?: unknown; request_format: string }>;
  triggers: Record<string, { all: Condition[]; actions: Condition[] }>;
};

const PLACEHOLDERS: Record<string, string> = {
  'ticket.id': '35440',
  'ticket.latest_comment.id': '9001',
  'ticket.latest_comment.value': 'As I said, I was charged twice',
  'ticket.updated_at_with_timestamp': '2026-11-23T10:04:00Z',
  'setting.baton_url': 'baton.example.com',
  'setting.baton_tenant_id': 'acme',
};
const fill = (template: string): string => template.replace(/\{\{([a-z_.]+)\}\}/g, (_m, k: string) => PLACEHOLDERS[k] ?? `<${k}>`);

describe('requirements.json outcome triggers', () => {
  it('point at the outcome route, signed', () => {
    const w = req.webhooks.baton_outcomes!;
    expect(w.request_format).toBe('json');
    expect(w.signing_secret).toBeDefined();
    expect(new URL(fill(w.endpoint)).pathname).toBe(OUTCOMES_WEBHOOK_PATH.replace(':tenantId', 'acme'));
  });

  it.each([
    ['baton_first_agent_reply', 'agent_reply'],
    ['baton_customer_reply', 'customer_message'],
    ['baton_solved', 'solved'],
    ['baton_reopened', 'reopened'],
  ])('%s sends a %s event the route accepts, only for baton_handoff tickets', (key, kind) => {
    const t = req.triggers[key]!;
    expect(t.all).toContainEqual({ field: 'current_tags', operator: 'includes', value: 'baton_handoff' });
    const action = t.actions.find((a) => a.field === 'notification_webhook')!;
    const [webhook, template] = action.value as [string, string];
    expect(webhook).toBe('baton_outcomes');
    const parsed = parseZendeskOutcome(JSON.parse(fill(template)) as Record<string, unknown>, Date.parse('2026-11-23T11:00:00Z'));
    expect(parsed).toMatchObject({ kind, ticketId: '35440', at: Date.parse('2026-11-23T10:04:00Z') });
    if (kind === 'customer_message') expect(parsed).toMatchObject({ eventKey: 'comment:9001', comment: 'As I said, I was charged twice' });
  });

  it('fires the first-reply trigger once per ticket', () => {
    const t = req.triggers.baton_first_agent_reply!;
    expect(t.all).toContainEqual({ field: 'current_tags', operator: 'not_includes', value: 'baton_first_reply_sent' });
    expect(t.actions).toContainEqual({ field: 'current_tags', value: 'baton_first_reply_sent' });
  });
});
