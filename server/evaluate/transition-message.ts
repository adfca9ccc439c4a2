/**
 * The transition message: one template (tenant's, else built-in) for the situation — in hours with a measured
 * wait, in hours without one, closed — filled with the acknowledgement, the wait and the next opening. A
 * number appears only when it was measured: `{wait}` is allowed in `withWait` alone (evaluate-config.ts).
 */
import type { EvaluateConfig } from './evaluate-config.ts';
import { ACK_TEXT, BUILTIN_TEMPLATES, TRANSITION_LOCALES, type TemplateVariant, type TransitionLocale } from './transition-templates.ts';

export interface TransitionInput {
  locale: TransitionLocale;
  topic: string;
  /** The customer's stated want (redacted), used when the topic says nothing specific. */
  want?: string;
  waitSeconds: number | null;
  open: boolean;
  nextOpenAt?: number;
  /** The tenant's zone, for `{nextOpen}`; the zone's short name is printed with it. */
  timeZone?: string;
  templates?: EvaluateConfig['templates'];
}

/** `pt`, `pt-PT`, `PT_br` → `pt-BR`; `es-MX` → `es`; anything else unsupported → undefined. */
export function transitionLocaleOf(tag: string | undefined): TransitionLocale | undefined {
  if (!tag) return undefined;
  const t = tag.trim().replace('_', '-').toLowerCase();
  const exact = TRANSITION_LOCALES.find((l) => l.toLowerCase() === t);
  if (exact) return exact;
  const lang = t.split('-')[0];
  if (lang === 'pt') return 'pt-BR';
  return TRANSITION_LOCALES.find((l) => l === lang);
}

/** A wait as words: whole minutes under 90 minutes (at least one), else whole hours; ICU plural rules per locale. */
const formats = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<F extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => F): F {
  let f = formats.get(key) as F | undefined;
  if (!f) formats.set(key, (f = make()));
  return f;
}

export function formatWait(seconds: number, locale: TransitionLocale): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  const [value, unit] = minutes < 90 ? [minutes, 'minute'] : [Math.round(seconds / 3600), 'hour'];
  const s = cached(`${locale} ${unit}`, () => new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' })).format(value);
  // "5 分" → "5分": Japanese writes no space before the counter.
  return locale === 'ja' ? s.replace(/\s+/g, '') : s;
}

/** The next opening in the tenant's zone, in the customer's language, with the zone's short name. */
export function formatNextOpen(ms: number, locale: TransitionLocale, timeZone: string): string {
  const date = cached(`${locale} ${timeZone}`, () => new Intl.DateTimeFormat(locale, { weekday: 'long', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone, timeZoneName: 'short' })).format(ms);
  return ACK_TEXT[locale].onDate(date);
}

const CLOSING_PUNCT = '.!?…。！？';

function ackFor(input: TransitionInput): string {
  const a = ACK_TEXT[input.locale];
  const byTopic = Object.hasOwn(a.topics, input.topic) ? a.topics[input.topic] : undefined;
  if (byTopic) return byTopic;
  if (input.want) {
    let end = input.want.length;
    while (end > 0 && CLOSING_PUNCT.includes(input.want[end - 1]!)) end--;
    const want = input.want.slice(0, end).trim();
    if (want) return a.want.replace('{want}', () => want);
  }
  return a.generic;
}

export function transitionMessage(input: TransitionInput): { text: string; locale: TransitionLocale; variant: TemplateVariant } {
  const variant: TemplateVariant = !input.open ? 'closed' : input.waitSeconds !== null ? 'withWait' : 'noWait';
  const template = input.templates?.[input.locale]?.[variant] ?? BUILTIN_TEMPLATES[input.locale][variant];
  const values: Record<string, string> = { ack: ackFor(input) };
  if (variant === 'withWait') values.wait = formatWait(input.waitSeconds!, input.locale);
  if (variant === 'closed')
    values.nextOpen = input.nextOpenAt !== undefined && input.timeZone ? formatNextOpen(input.nextOpenAt, input.locale, input.timeZone) : ACK_TEXT[input.locale].unknownReturn;
  // One pass, so a customer's words containing "{wait}" are never expanded.
  const text = template.replace(/\{(ack|wait|nextOpen)\}/g, (_m, k: string) => values[k] ?? '').trim();
  return { text, locale: input.locale, variant };
}
