/**
 * `tenants[].evaluate` and `tenants[].businessHours` parsing (server/evaluate/evaluate-config.ts): defaults,
 * and a message naming the key for each thing a schema alone would let through.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../server/config-error.ts';
import { loadConfig } from '../../../server/config.ts';
import { DEFAULT_EVALUATE_CONFIG, parseBusinessHours, parseEvaluateConfig } from '../../../server/evaluate/evaluate-config.ts';

const P = 'tenants[0].evaluate';
const bad = (raw: unknown, message: RegExp) => {
  expect(() => parseEvaluateConfig(raw, P)).toThrow(ConfigError);
  expect(() => parseEvaluateConfig(raw, P)).toThrow(message);
};

describe('parseEvaluateConfig', () => {
  it('defaults: 14 days, 20 replies, the median, built-in templates', () => {
    expect(parseEvaluateConfig(undefined, P)).toEqual({ windowDays: 14, minSampleSize: 20, statistic: 'median', templates: {} });
    expect(DEFAULT_EVALUATE_CONFIG.statistic).toBe('median');
  });

  it('reads every key', () => {
    const templates = { de: { withWait: '{ack} Wir melden uns in etwa {wait}.', closed: 'Wir sind {nextOpen} wieder da. {ack}' }, 'pt-BR': { noWait: 'Já vamos responder.' } };
    expect(parseEvaluateConfig({ windowDays: 7, minSampleSize: 50, statistic: 'p90', templates }, P)).toEqual({ windowDays: 7, minSampleSize: 50, statistic: 'p90', templates });
  });

  it('refuses a template with an unknown placeholder, naming it and the key', () => bad({ templates: { en: { noWait: 'Hi {name}!' } } }, /tenants\[0\]\.evaluate\.templates\.en\.noWait uses an unknown placeholder \{name\}/));
  it('refuses a wait template without {wait}', () => bad({ templates: { en: { withWait: 'Someone will reply soon.' } } }, /templates\.en\.withWait must contain \{wait\}/));
  it('refuses {wait} where nothing was measured (no invented numbers)', () => bad({ templates: { es: { noWait: 'Responderemos en {wait}.' } } }, /templates\.es\.noWait may not contain \{wait\}/));
  it('refuses a closed template without {nextOpen}', () => bad({ templates: { fr: { closed: 'Nous sommes fermés.' } } }, /templates\.fr\.closed must contain \{nextOpen\}/));
  it('refuses {wait} in the closed template', () => bad({ templates: { ja: { closed: '{nextOpen}{wait}' } } }, /closed may not contain \{wait\}/));
  it('refuses an unmatched brace', () => bad({ templates: { en: { noWait: '{ack} back soon }' } } }, /unmatched/));
  it('refuses a locale it has no built-in for', () => bad({ templates: { it: { noWait: 'Ciao' } } }, /templates\.it is not a known key/));
  it('refuses a variant it does not know', () => bad({ templates: { en: { later: 'x' } } }, /templates\.en\.later is not a known key/));
  it('refuses out-of-range numbers and an unknown statistic', () => {
    bad({ windowDays: 0 }, /windowDays/);
    bad({ minSampleSize: 1.5 }, /minSampleSize/);
    bad({ statistic: 'mean' }, /statistic must be one of median, p90/);
  });
});

describe('parseBusinessHours', () => {
  const H = 'tenants[0].businessHours';
  it('absent: undefined (always open)', () => expect(parseBusinessHours(undefined, H)).toBeUndefined());

  it('reads zone, weekly hours and holidays', () => {
    const raw = { timeZone: 'Europe/Berlin', weekly: { mon: [['09:00', '12:00'], ['13:00', '24:00']], sat: [] }, holidays: ['2026-12-25'] };
    expect(parseBusinessHours(raw, H)).toEqual(raw);
  });

  const cases: Array<[string, unknown, RegExp]> = [
    ['an unknown zone', { timeZone: 'Europe/Atlantis', weekly: {} }, /businessHours\.timeZone "Europe\/Atlantis" is not an IANA time zone/],
    ['a missing zone', { weekly: {} }, /businessHours\.timeZone is required/],
    ['an interval ending before it starts', { timeZone: 'UTC', weekly: { tue: [['17:00', '09:00']] } }, /weekly\.tue\[0\] must end after it starts/],
    ['a time that is not HH:MM', { timeZone: 'UTC', weekly: { tue: [['9:00', '17:00']] } }, /weekly\.tue/],
    ['25:00', { timeZone: 'UTC', weekly: { tue: [['09:00', '25:00']] } }, /weekly\.tue/],
    ['an unknown day', { timeZone: 'UTC', weekly: { tuesday: [['09:00', '17:00']] } }, /weekly\.tuesday is not a known key/],
    ['a date that does not exist', { timeZone: 'UTC', weekly: {}, holidays: ['2026-02-30'] }, /holidays\[0\] "2026-02-30" is not a calendar date/],
  ];
  for (const [name, raw, message] of cases)
    it(`refuses ${name}`, () => {
      expect(() => parseBusinessHours(raw, H)).toThrow(ConfigError);
      expect(() => parseBusinessHours(raw, H)).toThrow(message);
    });
});

describe('through loadConfig (server/config.ts)', () => {
  const load = (tenant: Record<string, unknown>) => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-evaluate-config-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ tenants: [{ id: 'acme', webhookSecrets: ['whsec_test_1'], ...tenant }] }));
    try {
      return loadConfig({ BATON_CONFIG: file, BATON_DATA_DIR: dir });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('a tenant carries its evaluate settings and business hours; one without has neither', () => {
    const c = load({ evaluate: { minSampleSize: 30 }, businessHours: { timeZone: 'Asia/Tokyo', weekly: { mon: [['09:00', '18:00']] } } });
    expect(c.tenants[0]!.evaluate).toEqual({ windowDays: 14, minSampleSize: 30, statistic: 'median', templates: {} });
    expect(c.tenants[0]!.businessHours).toEqual({ timeZone: 'Asia/Tokyo', weekly: { mon: [['09:00', '18:00']] } });
    const plain = load({});
    expect(plain.tenants[0]!.evaluate).toBeUndefined();
    expect(plain.tenants[0]!.businessHours).toBeUndefined();
  });

  it('a bad template or zone stops start-up naming the key', () => {
    expect(() => load({ evaluate: { templates: { en: { noWait: 'Back in {wait}' } } } })).toThrow(/tenants\[0\]\.evaluate\.templates\.en\.noWait may not contain \{wait\}/);
    expect(() => load({ businessHours: { timeZone: 'Nowhere/Land', weekly: {} } })).toThrow(/tenants\[0\]\.businessHours\.timeZone/);
    expect(() => load({ evaluate: { unknownKey: 1 } })).toThrow(ConfigError);
  });
});
