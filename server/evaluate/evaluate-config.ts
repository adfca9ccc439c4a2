/**
 * The tenant config the evaluate API reads: `tenants[].evaluate` (wait-estimate window, sample floor, which
 * statistic, transition templates per locale) and `tenants[].businessHours`. JSON schemas for config.ts's file
 * schema, and parsers that check what a schema cannot (an IANA zone Intl knows, real dates, HH:MM intervals,
 * each template's placeholders), so a bad value stops start-up naming the key.
 */
import { Ajv } from 'ajv';
import { ConfigError } from '../config-error.ts';
import { describeAjvError } from '../util/ajv-errors.ts';
import { isIsoDate, isValidTimeZone, minutesOf, WEEKDAYS, type BusinessHours, type DayHours, type Weekday } from './business-hours.ts';
import { PLACEHOLDERS, TEMPLATE_VARIANTS, TRANSITION_LOCALES, VARIANT_RULES, type TemplateVariant, type TransitionLocale } from './transition-templates.ts';

export type WaitStatistic = 'median' | 'p90';

export interface EvaluateConfig {
  /** How far back first-reply times count (days). */
  windowDays: number;
  /** Fewer measured replies than this: no estimate (null), neutral wording. */
  minSampleSize: number;
  statistic: WaitStatistic;
  /** Tenant overrides, per locale and variant; the rest falls back to the built-in templates. */
  templates: Partial<Record<TransitionLocale, Partial<Record<TemplateVariant, string>>>>;
}

export const DEFAULT_EVALUATE_CONFIG: Readonly<EvaluateConfig> = Object.freeze({ windowDays: 14, minSampleSize: 20, statistic: 'median', templates: {} });

/** The config keys this module owns on a tenant. */
export interface EvaluateTenantFields {
  evaluate?: EvaluateConfig;
  businessHours?: BusinessHours;
}

const templateSet = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(TEMPLATE_VARIANTS.map((v) => [v, { type: 'string', minLength: 1, maxLength: 2000 }])),
};

export const evaluateConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    windowDays: { type: 'integer', minimum: 1, maximum: 365 },
    minSampleSize: { type: 'integer', minimum: 1, maximum: 1_000_000 },
    statistic: { enum: ['median', 'p90'] },
    templates: { type: 'object', additionalProperties: false, properties: Object.fromEntries(TRANSITION_LOCALES.map((l) => [l, templateSet])) },
  },
} as const;

const interval = { type: 'array', minItems: 2, maxItems: 2, items: { type: 'string', pattern: '^(?:[01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$' } };

export const businessHoursSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['timeZone', 'weekly'],
  properties: {
    timeZone: { type: 'string', minLength: 1, maxLength: 100 },
    weekly: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(WEEKDAYS.map((d) => [d, { type: 'array', maxItems: 8, items: interval }])),
    },
    holidays: { type: 'array', maxItems: 1000, items: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' } },
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: false });
const validateEvaluate = ajv.compile(evaluateConfigSchema);
const validateHours = ajv.compile(businessHoursSchema);

function schemaCheck(validate: typeof validateEvaluate, raw: unknown, path: string): void {
  if (validate(raw)) return;
  const e = describeAjvError(validate.errors![0]!);
  throw new ConfigError(`${e.field === '(root)' ? path : `${path}.${e.field}`} ${e.problem}`);
}

const PLACEHOLDER_RE = /\{([^{}]*)\}/g;

/** The placeholders a template uses; throws naming an unknown one or a stray brace. */
export function placeholdersOf(template: string, path: string): Set<string> {
  const found = new Set<string>();
  for (const m of template.matchAll(PLACEHOLDER_RE)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(m[1]!)) throw new ConfigError(`${path} uses an unknown placeholder {${m[1]}} (known: ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')})`);
    found.add(m[1]!);
  }
  if (template.replace(PLACEHOLDER_RE, '').search(/[{}]/) >= 0) throw new ConfigError(`${path} has an unmatched { or }`);
  return found;
}

/** Each variant's placeholders: the required ones present, none it may not have (no number without a measurement). */
export function checkTemplate(variant: TemplateVariant, template: string, path: string): void {
  const used = placeholdersOf(template, path);
  const rule = VARIANT_RULES[variant];
  for (const p of rule.required) if (!used.has(p)) throw new ConfigError(`${path} must contain {${p}}`);
  for (const p of used) if (!(rule.allowed as string[]).includes(p)) throw new ConfigError(`${path} may not contain {${p}} (${variant} allows ${rule.allowed.map((a) => `{${a}}`).join(', ')})`);
}

export function parseEvaluateConfig(raw: unknown, path = 'evaluate'): EvaluateConfig {
  if (raw === undefined) return { ...DEFAULT_EVALUATE_CONFIG, templates: {} };
  schemaCheck(validateEvaluate, raw, path);
  const o = raw as Partial<EvaluateConfig>;
  const templates: EvaluateConfig['templates'] = {};
  for (const [locale, set] of Object.entries(o.templates ?? {}) as Array<[TransitionLocale, Partial<Record<TemplateVariant, string>>]>) {
    for (const [variant, text] of Object.entries(set) as Array<[TemplateVariant, string]>) checkTemplate(variant, text, `${path}.templates.${locale}.${variant}`);
    templates[locale] = { ...set };
  }
  return {
    windowDays: o.windowDays ?? DEFAULT_EVALUATE_CONFIG.windowDays,
    minSampleSize: o.minSampleSize ?? DEFAULT_EVALUATE_CONFIG.minSampleSize,
    statistic: o.statistic ?? DEFAULT_EVALUATE_CONFIG.statistic,
    templates,
  };
}

export function parseBusinessHours(raw: unknown, path = 'businessHours'): BusinessHours | undefined {
  if (raw === undefined) return undefined;
  schemaCheck(validateHours, raw, path);
  const o = raw as { timeZone: string; weekly: Partial<Record<Weekday, Array<[string, string]>>>; holidays?: string[] };
  if (!isValidTimeZone(o.timeZone)) throw new ConfigError(`${path}.timeZone "${o.timeZone}" is not an IANA time zone this Node knows (e.g. Europe/Berlin)`);
  const weekly: Partial<Record<Weekday, DayHours>> = {};
  for (const day of WEEKDAYS) {
    const list = o.weekly[day];
    if (!list) continue;
    list.forEach(([from, to], i) => {
      if (minutesOf(to)! <= minutesOf(from)!) throw new ConfigError(`${path}.weekly.${day}[${i}] must end after it starts (got ${from}–${to}; use 24:00 for midnight)`);
    });
    weekly[day] = list.map(([a, b]) => [a, b] as const);
  }
  for (const [i, d] of (o.holidays ?? []).entries()) if (!isIsoDate(d)) throw new ConfigError(`${path}.holidays[${i}] "${d}" is not a calendar date (YYYY-MM-DD)`);
  return { timeZone: o.timeZone, weekly, ...(o.holidays ? { holidays: [...o.holidays] } : {}) };
}
