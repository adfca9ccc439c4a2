/**
 * The tagger fields requirements.json installs must accept every value Baton writes into them.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { SENTIMENT_LABELS, TRIGGER_IDS, type HandoffReport } from '../../../server/types/handoff-report.ts';
import { reasonTag, sentimentTag } from '../../../server/helpdesks/zendesk/tags.ts';

const requirements = JSON.parse(readFileSync(new URL('../../../requirements.json', import.meta.url), 'utf8')) as {
  ticket_fields: Record<string, { custom_field_options?: Array<{ value: string }> }>;
};
const options = (key: string) => new Set(requirements.ticket_fields[key]?.custom_field_options?.map((o) => o.value));

describe('requirements.json and the writer agree', () => {
  it('has an option for every sentiment label and every trigger id Baton can write', () => {
    for (const label of SENTIMENT_LABELS) expect(options('baton_sentiment').has(sentimentTag({ sentiment: { label } } as HandoffReport))).toBe(true);
    for (const id of TRIGGER_IDS) expect(options('baton_escalation_reason').has(reasonTag({ primaryTrigger: id } as HandoffReport))).toBe(true);
  });
});
