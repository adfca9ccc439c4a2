/**
 * The suggested first message for the agent: greets by name, names the issue, acknowledges what the bot
 * already tried, tone set by sentiment. It never suggests anything: the attempts it mentions are the ones
 * that failed, named only so the customer knows we will not repeat them.
 */
import type { AttemptedSolution, OpenerResult, SentimentResult, TopicResult } from '../types/handoff-report.ts';
import { describeSolution } from './describe.ts';
import { AND_WORD, BUILTIN_LOCALE_ALIASES, OPENER_TEMPLATES } from './opener-templates.ts';
import type { OpenerTemplateSet, ResolvedAnalysisOptions } from './options.ts';

/** "pt-BR" -> ["pt-BR", "pt", "en"]; "en-US" -> ["en-US", "en"]. */
export function localeChain(locale: string | undefined): string[] {
  const chain: string[] = [];
  const tag = (locale ?? '').replace('_', '-').trim();
  if (tag) {
    const parts = tag.split('-');
    const lang = parts[0]!.toLowerCase();
    const region = parts[1];
    if (region) chain.push(`${lang}-${region.length === 2 ? region.toUpperCase() : region}`);
    chain.push(lang);
  }
  if (!chain.includes('en')) chain.push('en');
  return chain;
}

/** The locale actually used: the first in the chain that has templates (built-in or tenant). */
export function resolveTemplates(locale: string | undefined, overrides: ResolvedAnalysisOptions['openerTemplates']): { locale: string; lang: string; t: OpenerTemplateSet } {
  const chain = localeChain(locale);
  const layers: Partial<OpenerTemplateSet>[] = [];
  let used: string | undefined;
  for (const l of chain) {
    const builtin = OPENER_TEMPLATES[l] ?? (BUILTIN_LOCALE_ALIASES[l] ? OPENER_TEMPLATES[BUILTIN_LOCALE_ALIASES[l]!] : undefined);
    const over = overrides[l];
    if (over) layers.push(over);
    if (builtin) layers.push(builtin);
    if ((over || builtin) && !used) used = l;
  }
  // Per key, the most specific layer that defines it wins (tenant before built-in, pt-BR before pt before en).
  const pick = <K extends keyof OpenerTemplateSet>(k: K): OpenerTemplateSet[K] => layers.find((x) => x[k] !== undefined)![k] as OpenerTemplateSet[K];
  const topics: Record<string, string> = {};
  for (const layer of [...layers].reverse()) Object.assign(topics, layer.topics ?? {});
  const t: OpenerTemplateSet = {
    greetingNamed: pick('greetingNamed'),
    greetingAnonymous: pick('greetingAnonymous'),
    apologetic: pick('apologetic'),
    empathetic: pick('empathetic'),
    neutral: pick('neutral'),
    upbeat: pick('upbeat'),
    triedFailed: pick('triedFailed'),
    triedUnclear: pick('triedUnclear'),
    closing: pick('closing'),
    issueFallback: pick('issueFallback'),
    topics,
  };
  const usedLocale = used ?? 'en';
  const lang = usedLocale.split('-')[0]!;
  return { locale: usedLocale, lang: OPENER_TEMPLATES[lang] ? lang : BUILTIN_LOCALE_ALIASES[usedLocale] ?? 'en', t };
}

export interface OpenerInput {
  customerName?: string;
  locale?: string;
  topic: TopicResult;
  sentiment: SentimentResult;
  solutions: readonly AttemptedSolution[];
  options: ResolvedAnalysisOptions;
}

export function chooseTone(sentiment: SentimentResult, solutions: readonly AttemptedSolution[]): OpenerResult['tone'] {
  const rejected = new Set(solutions.filter((s) => s.outcome === 'rejected').map((s) => s.messageIndex)).size;
  if (sentiment.label === 'negative' && (sentiment.frustration >= 0.5 || rejected >= 2)) return 'apologetic';
  if (sentiment.label === 'negative' || rejected >= 1) return 'empathetic';
  if (sentiment.label === 'positive') return 'upbeat';
  return 'neutral';
}

/** The most nameable thing a bot turn offered: an article title reads better than "the steps". */
const KIND_RANK: Record<AttemptedSolution['kind'], number> = { article: 0, action: 1, link: 2, steps: 3, answer: 4 };
export function bestOfTurn(solutions: readonly AttemptedSolution[], messageIndex: number): AttemptedSolution {
  return solutions.filter((s) => s.messageIndex === messageIndex).sort((a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind])[0]!;
}

const fill = (tpl: string, vars: Record<string, string>): string => tpl.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);

export function buildOpener(input: OpenerInput): OpenerResult {
  const { locale, lang, t } = resolveTemplates(input.locale, input.options.openerTemplates);
  const tone = chooseTone(input.sentiment, input.solutions);
  const first = input.customerName?.trim().split(/\s+/)[0];
  const issue = t.topics[input.topic.id] ?? t.issueFallback;
  const greeting = first ? fill(t.greetingNamed, { name: first }) : t.greetingAnonymous;
  let body = fill(t[tone], { issue });
  // After "Hi Sarah," the sentence continues in lower case (English "I" excepted).
  if (greeting.endsWith(',') && !/^I\b/.test(body)) body = body.charAt(0).toLocaleLowerCase() + body.slice(1);
  const parts = [greeting, body];

  // Acknowledge the failed attempts, most recent first, one per bot turn, at most two.
  const failed: AttemptedSolution[] = [];
  const seenTurns = new Set<number>();
  for (const s of [...input.solutions].reverse()) {
    if ((s.outcome !== 'rejected' && s.outcome !== 'ignored') || seenTurns.has(s.messageIndex)) continue;
    seenTurns.add(s.messageIndex);
    failed.push(bestOfTurn(input.solutions, s.messageIndex));
    if (failed.length === 2) break;
  }
  const and = AND_WORD[lang] ?? 'and';
  if (failed.length > 0) {
    parts.push(fill(t.triedFailed, { tried: failed.reverse().map((s) => describeSolution(s, lang)).join(` ${and} `) }));
  } else {
    const unclear = input.solutions.find((s) => s.outcome === 'unclear');
    if (unclear) parts.push(fill(t.triedUnclear, { tried: describeSolution(unclear, lang) }));
  }
  parts.push(t.closing);
  return { text: parts.join(' '), locale, tone };
}
