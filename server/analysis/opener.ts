/**
 * The suggested first message for the agent (issue 14: it states only true things): greets by name, names the
 * concrete problem in the customer's terms (the error code, the order, the charge), says "didn't work" only
 * of what the customer rejected, mentions an ignored article neutrally, acknowledges an accepted one as done,
 * and never suggests anything. The tone follows the situation (tone.ts).
 */
import type { HandoffMessage } from '../types/handoff-event.ts';
import type { AttemptedSolution, KeyFact, OpenerResult, SentimentResult, TopicResult } from '../types/handoff-report.ts';
import { describeSolution } from './describe.ts';
import { AND_WORD, BUILTIN_LOCALE_ALIASES, OPENER_TEMPLATES } from './opener-templates.ts';
import type { OpenerTemplateSet, ResolvedAnalysisOptions } from './options.ts';
import { foldAccents, normalizeQuotes } from './text.ts';
import { calm, chooseTone, legalKind, mattersOf, mustBeCalm } from './tone.ts';

export { chooseTone } from './tone.ts';

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
    greetingFormal: pick('greetingFormal'),
    greetingFormalAnonymous: pick('greetingFormalAnonymous'),
    formal: pick('formal'),
    formalClosing: pick('formalClosing'),
    triedFailedFormal: pick('triedFailedFormal'),
    formalIssue: pick('formalIssue'),
    formalIssueErasure: pick('formalIssueErasure'),
    formalIssueAccess: pick('formalIssueAccess'),
    direct: pick('direct'),
    directClosing: pick('directClosing'),
    triedAccepted: pick('triedAccepted'),
    triedIgnored: pick('triedIgnored'),
    issueError: pick('issueError'),
    issueOrder: pick('issueOrder'),
    issueCharge: pick('issueCharge'),
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
  /** The conversation (redacted): the customer's words name the problem and the matter. */
  messages?: readonly HandoffMessage[];
  /** Key facts (facts.ts): error codes, order ids and amounts the customer gave. */
  facts?: readonly KeyFact[];
}

/** The most nameable thing a bot turn offered: an article title reads better than "the steps". */
const KIND_RANK: Record<AttemptedSolution['kind'], number> = { article: 0, action: 1, link: 2, steps: 3, answer: 4 };
export function bestOfTurn(solutions: readonly AttemptedSolution[], messageIndex: number): AttemptedSolution {
  return solutions.filter((s) => s.messageIndex === messageIndex).sort((a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind])[0]!;
}

const fill = (tpl: string, vars: Record<string, string>): string => tpl.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);

// "502 Bad Gateway", "returning 503s", "HTTP 500": the status is the error the customer sees.
const HTTP_STATUS_RE = /\b(?:http\s?)?(5\d\d)s?\b(?=\s*(?:errors?|bad gateway|service unavailable|gateway time-?out|internal server error|responses?)\b)|\b(?:returning|returns|getting|throwing|giving|seeing|status(?: code)?)\s+(?:\w+\s+){0,2}?(?:http\s?)?([45]\d\d)s?\b/i;
// "on our reporting API": what the error happens on, in the customer's words (English only; else left out).
const WHERE_RE = /\b(?:my|our|the) ((?:[a-z][\w-]* ){0,2}(?:api|app|dashboards?|site|website|page|checkout|integration|endpoint|portal|store|webhooks?|server|export|reports?|login|widget|service|system|platform|sync|notifications|payments|search|editor|uploads?|form|feed|calendar|database|storefront))\b/i;

// Anchored (a fact's value starts with its amount), so it stays linear on any value.
const AMOUNT_RE = /^(?:(?:US|R|A|C)?\$|€|£|¥)?\s?\d[\d.,]*(?:\s?(?:€|£|usd|eur|gbp|brl|dollars?|euros?|pounds?|reais)\b)?/i;

/** The concrete problem in the customer's terms: their error code, their order, the charge; else the topic. */
function issueOf(input: OpenerInput, t: OpenerTemplateSet, lang: string, customerText: string): string | undefined {
  const isCustomer = (i: number): boolean => input.messages?.[i]?.role === 'customer';
  const facts = (input.facts ?? []).filter((f) => isCustomer(f.messageIndex));
  const topic = input.topic.id;
  const code = facts.find((f) => f.kind === 'error_code')?.value ?? (() => {
    const m = HTTP_STATUS_RE.exec(customerText);
    return m ? m[1] ?? m[2] : undefined;
  })();
  if (code) {
    let phrase = fill(t.issueError, { code });
    if (lang === 'en') {
      const where = WHERE_RE.exec(customerText);
      if (where) phrase += ` on your ${where[1]!.replace(/\s+/g, ' ')}`;
    }
    return phrase;
  }
  // An outage without a code: what is down, in the customer's words (English only, like WHERE_RE).
  if (lang === 'en' && (mattersOf(customerText, input.topic).has('outage') || topic === 'technical_issue')) {
    const where = WHERE_RE.exec(customerText);
    if (where) return `the trouble with your ${where[1]!.replace(/\s+/g, ' ')}`;
  }
  const order = facts.find((f) => f.kind === 'order_id')?.value;
  if (order && ['shipping_order', 'refund', 'cancellation', 'other', 'complaint'].includes(topic)) return fill(t.issueOrder, { order });
  // The amount itself, whatever else the fact's value says about it ("$89.90 on 14 May" → "$89.90").
  const amountFact = facts.find((f) => f.kind === 'amount')?.value;
  const amount = amountFact ? (AMOUNT_RE.exec(amountFact)?.[0].replace(/[.,]$/, '') ?? amountFact) : undefined;
  if (amount && ['billing_dispute', 'billing_payment', 'refund'].includes(topic)) return fill(t.issueCharge, { amount });
  return undefined;
}

/** The attempts worth naming: rejected (most recent two turns), else an accepted one, else an ignored article. */
function attemptsSentences(input: OpenerInput, t: OpenerTemplateSet, lang: string, tone: OpenerResult['tone']): string[] {
  const and = AND_WORD[lang] ?? 'and';
  const named = (xs: AttemptedSolution[]): string => xs.map((s) => describeSolution(s, lang)).join(` ${and} `);
  const pickPerTurn = (outcome: AttemptedSolution['outcome'], max: number): AttemptedSolution[] => {
    const out: AttemptedSolution[] = [];
    const turns = new Set<number>();
    for (const s of [...input.solutions].reverse()) {
      if (s.outcome !== outcome || turns.has(s.messageIndex)) continue;
      turns.add(s.messageIndex);
      out.push(bestOfTurn(input.solutions.filter((x) => x.outcome === outcome), s.messageIndex));
      if (out.length === max) break;
    }
    return out.reverse();
  };
  const out: string[] = [];
  const rejected = pickPerTurn('rejected', 2);
  if (rejected.length > 0) out.push(fill(tone === 'formal' ? t.triedFailedFormal : t.triedFailed, { tried: named(rejected) }));
  if (tone === 'direct' || tone === 'formal') return out;
  const accepted = pickPerTurn('accepted', 1);
  if (accepted.length > 0) out.push(fill(t.triedAccepted, { tried: named(accepted) }));
  if (out.length === 0) {
    // Not taken up: a neutral mention of an article or link, never "didn't work"; other kinds are left out.
    const ignored = pickPerTurn('ignored', 1).filter((s) => s.kind === 'article' || s.kind === 'link');
    if (ignored.length > 0) out.push(fill(t.triedIgnored, { tried: named(ignored) }));
  }
  return out;
}

export function buildOpener(input: OpenerInput): OpenerResult {
  const { locale, lang, t } = resolveTemplates(input.locale, input.options.openerTemplates);
  const customerText = foldAccents(normalizeQuotes((input.messages ?? []).filter((m) => m.role === 'customer').map((m) => m.text).join('\n')));
  const matters = mattersOf(customerText, input.topic);
  const tone = chooseTone(input.sentiment, input.solutions, matters);
  const quiet = mustBeCalm(tone, input.sentiment, matters);
  const fullName = input.customerName?.trim().replace(/\s+/g, ' ');
  const first = fullName?.split(' ')[0];
  let issue: string;
  if (tone === 'formal') {
    const k = legalKind(customerText);
    issue = k === 'erasure' ? t.formalIssueErasure : k === 'access' ? t.formalIssueAccess : t.formalIssue;
  } else {
    // When the topic model has no topic but the words name the matter, the matter's wording is more concrete.
    const byMatter = input.topic.id === 'other' ? (matters.has('disputed_charge') ? 'billing_dispute' : matters.has('complaint') ? 'complaint' : undefined) : undefined;
    issue = issueOf(input, t, lang, customerText) ?? t.topics[byMatter ?? input.topic.id] ?? t.issueFallback;
  }
  const greeting =
    tone === 'formal' ? (fullName ? fill(t.greetingFormal, { name: fullName }) : t.greetingFormalAnonymous) : first ? fill(t.greetingNamed, { name: first }) : t.greetingAnonymous;
  const bodyTpl = tone === 'formal' ? t.formal : tone === 'direct' ? t.direct : t[tone];
  const body = fill(bodyTpl, { issue });
  const parts = [greeting, body, ...attemptsSentences(input, t, lang, tone), tone === 'formal' ? t.formalClosing : tone === 'direct' ? t.directClosing : t.closing];
  // A quoted title keeps its words, but not a "!" the customer would read as cheer.
  if (quiet) for (let k = 0; k < parts.length; k++) parts[k] = calm(parts[k]!);
  // After "Hi Sarah," the sentence continues in lower case (English "I" excepted).
  const said = parts[1]!;
  if (parts[0]!.endsWith(',') && !/^I\b/.test(said)) parts[1] = said.charAt(0).toLocaleLowerCase() + said.slice(1);
  return { text: parts.join(' '), locale, tone };
}
