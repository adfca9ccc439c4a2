/** A tenant logged whole (a careless `log.info({ tenant })`) shows none of its bot platforms' tokens. */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/logger.ts';
import { parseBotsConfig } from '../../../server/bots/registry.ts';

describe('bot tokens in logs', () => {
  it('are redacted in the parsed tenants[].bots sections', () => {
    const bots = parseBotsConfig({ dialogflowCx: { token: 'df_secret_token_1', tokens: ['df_secret_token_2'] }, rasa: { token: 'rasa_secret_token' }, botFramework: { tokens: ['bf_secret_token'] } }, 'tenants[0].bots');
    const lines: string[] = [];
    const log = createLogger('info', { write: (l: string) => void lines.push(l) });
    log.info({ tenant: { id: 'acme', bots } }, 'tenant');
    log.info({ bots }, 'bots');
    const out = lines.join('\n');
    expect(out).toContain('"handoffTags":["handoff"]');
    for (const secret of ['df_secret_token_1', 'df_secret_token_2', 'rasa_secret_token', 'bf_secret_token']) expect(out).not.toContain(secret);
  });
});
