/**
 * The tagger fields requirements.json installs must accept every value Baton writes into them.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { SENTIMENT_LABELS, TRIGGER_IDS, type HandoffReport } from '../../../server/types/handoff-report.ts';
import { reasonTag, sentimentTag } from '../../../server/helpdesks/zendesk/tags.ts';
import { HANDOFF_ID_FIELD_TITLE, matchBatonFields } from '../../../server/helpdesks/zendesk/field-directory.ts';
import { installedTicketFields } from '../../../sandbox/zendesk/ticket-fields.ts';

const requirements = JSON.parse(readFileSync(new URL('../../../requirements.json', import.meta.url), 'utf8')) as {
  ticket_fields: Record<string, { title: string; custom_field_options?: Array<{ value: string }> }>;
};
const options = (key: string) => new Set(requirements.ticket_fields[key]?.custom_field_options?.map((o) => o.value));

describe('requirements.json and the writer agree', () => {
  it('has an option for every sentiment label and every trigger id Baton can write', () => {
    for (const label of SENTIMENT_LABELS) expect(options('baton_sentiment').has(sentimentTag({ sentiment: { label } } as HandoffReport))).toBe(true);
    for (const id of TRIGGER_IDS) expect(options('baton_escalation_reason').has(reasonTag({ primaryTrigger: id } as HandoffReport))).toBe(true);
  });
});

describe('field discovery finds what requirements.json installs', () => {
  it('matches all three installed fields, and the handoff-id title is the one requirements.json gives', () => {
    const fields = installedTicketFields();
    const found = matchBatonFields(fields);
    const idOf = (key: string) => fields.find((f) => f.title === requirements.ticket_fields[key]?.title)?.id;
    expect(found).toEqual({ sentiment: idOf('baton_sentiment'), escalationReason: idOf('baton_escalation_reason'), handoffId: idOf('baton_handoff_id') });
    expect(requirements.ticket_fields.baton_handoff_id?.title).toBe(HANDOFF_ID_FIELD_TITLE);
  });

  it('finds renamed tagger fields by their option values, skips inactive ones, and takes the lowest id of duplicates', () => {
    const tagger = (id: number, title: string, prefix: string, active = true) => ({
      id,
      type: 'tagger',
      title,
      active,
      custom_field_options: [{ value: `${prefix}a` }, { value: `${prefix}b` }],
    });
    expect(
      matchBatonFields([
        tagger(30, 'Mood', 'baton_sentiment_'),
        tagger(20, 'Old mood', 'baton_sentiment_', false),
        tagger(40, 'Why', 'baton_reason_'),
        tagger(35, 'Why (copy)', 'baton_reason_'),
        tagger(50, 'Mixed', 'baton_reason_'),
        { id: 60, type: 'tagger', title: 'Not ours', custom_field_options: [{ value: 'baton_reason_x' }, { value: 'vip' }] },
        { id: 70, type: 'textarea', title: HANDOFF_ID_FIELD_TITLE },
        { id: 80, type: 'text', title: 'Something else' },
      ]),
    ).toEqual({ sentiment: 30, escalationReason: 35 });
  });
});
