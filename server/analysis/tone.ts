/**
 * The opener's tone follows the situation, not only the sentiment (issue 14): no exclamation mark and no
 * cheer when the customer is negative or the matter is legal, security, a disputed charge or a complaint;
 * formal register for legal requests; short and direct for urgent outages. Patterns read the customer's
 * folded text in en, es, de, fr, pt and ja.
 */
import type { AttemptedSolution, OpenerResult, SentimentResult, TopicResult } from '../types/handoff-report.ts';
import { rejectedOffers } from './solutions.ts';

export type Matter = 'legal' | 'security' | 'disputed_charge' | 'complaint' | 'outage';

const LEGAL_RE =
  /\b(?:gdpr|dsgvo|rgpd|lgpd|ccpa|data protection|right to (?:be forgotten|erasure|access)|erasure|subject access|dsar|art(?:icle|\.|ikel)? ?1[5-7]\b|lawyer|attorney|solicitor|counsel|law firm|litigation|legal (?:action|request|department|notice|hold|team|matter|demand|claim|proceedings?)|preservation (?:of|notice|letter|request)|lawsuit|\bsue\b|court|subpoena|cease and desist|ombudsman|regulator|datenschutz|loschung meiner|auskunft nach|rechtsanwalt|anwalt|abogad[oa]|proteccion de datos|derecho (?:al olvido|de supresion|de acceso)|demanda judicial|solicitud legal|rechtliche(?:n|s)? (?:schritte|anfrage)|demande juridique|service juridique|solicitacao juridica|departamento juridico|avocat|mise en demeure|protection des donnees|droit (?:a l'oubli|d'acces|a l'effacement)|advogad[oa]|protecao de dados|processo judicial|acao judicial)|個人情報|弁護士|法的|訴訟|開示請求|削除請求/i;
const ERASURE_RE = /\b(?:erasure|erase|delete (?:all )?(?:my |the )?(?:personal )?data|right to be forgotten|article 17|art\.? ?17|loschung|loschen|supresion|derecho al olvido|effacement|droit a l'oubli|eliminacao|exclusao dos (?:meus )?dados)|削除/i;
const ACCESS_RE = /\b(?:subject access|dsar|access to (?:my|all) (?:personal )?data|copy of (?:my|all) (?:personal )?data|article 15|art\.? ?15|auskunft|derecho de acceso|droit d'acces|acesso aos (?:meus )?dados)|開示/i;
const SECURITY_RE =
  /\b(?:hack(?:ed|er)?|compromised|unauthori[sz]ed (?:access|login|log-in|sign-in)|someone (?:else )?(?:logged|got|broke) into|phishing|breach|stolen (?:account|password|card)|account takeover|suspicious (?:login|activity)|gehackt|unbefugt|hackead[oa]|acceso no autorizado|pirate|piratage|acces non autorise|invadid[oa]|acesso nao autorizado)|不正(?:アクセス|ログイン)|乗っ取/i;
const DISPUTE_RE =
  /\b(?:charged (?:me )?(?:twice|double|two times)|double[- ]charged|(?:didn'?t|did not|never) authori[sz]e|unauthori[sz]ed (?:charge|payment|transaction|debit)|charge ?back|dispute|don'?t recogni[sz]e (?:this|the|that) (?:charge|payment|transaction)|unrecogni[sz]ed (?:charge|payment)|doppelt (?:abgebucht|berechnet)|nicht autorisiert|cobrado dos veces|cargo no autorizado|preleve deux fois|prelevement non autorise|cobrado duas vezes|cobranca indevida)|二重(?:請求|引き落とし)|身に覚えのない請求/i;
const COMPLAINT_RE =
  /\b(?:(?:formal |official )?complaint|complain(?:ing)?|unacceptable|disgraceful|appalling|outrageous|worst (?:service|experience|company)|beschwerde|unverschamt|inakzeptabel|queja|reclamacion|inaceptable|plainte|reclamation|inadmissible|reclamacao|inaceitavel)|苦情|クレーム/i;
// An outage: the service (not one setting) is down, failing for everyone, or answering with 5xx.
const OUTAGE_RE =
  /\b(?:outage|(?:is|are|went|been|all|completely|totally|site|app|api|service|system|server|platform|dashboards?|checkout) down\b|down for (?:all|everyone|us)|(?:returning|returns|getting|throwing|giving|seeing) (?:\w+ ){0,2}5\d\d|5\d\ds?\b(?: errors?| bad gateway| service unavailable| gateway timeout)|bad gateway|service unavailable|gateway time-?out|production (?:is )?(?:down|broken)|nothing (?:loads|works)|caid[oa]|no funciona para nadie|ausfall|ausgefallen|(?:liegt|ist) (?:komplett )?down|en panne|hors service|panne generale|fora do ar|indisponivel)|障害|ダウンして|落ちて/i;

/** The matters the customer's words (and the topic) raise; ordered legal first. */
export function mattersOf(customerFolded: string, topic: TopicResult): Set<Matter> {
  const m = new Set<Matter>();
  if (topic.id === 'legal' || LEGAL_RE.test(customerFolded)) m.add('legal');
  if (topic.id === 'account_security' || SECURITY_RE.test(customerFolded)) m.add('security');
  if (topic.id === 'billing_dispute' || DISPUTE_RE.test(customerFolded)) m.add('disputed_charge');
  if (topic.id === 'complaint' || COMPLAINT_RE.test(customerFolded)) m.add('complaint');
  if (OUTAGE_RE.test(customerFolded)) m.add('outage');
  return m;
}

/** Which legal request it is, for the formal opener's wording. */
export function legalKind(customerFolded: string): 'erasure' | 'access' | 'other' {
  if (ERASURE_RE.test(customerFolded)) return 'erasure';
  if (ACCESS_RE.test(customerFolded)) return 'access';
  return 'other';
}

/**
 * legal → formal; an urgent outage → direct; a negative customer → apologetic/empathetic as before; a complaint
 * → empathetic; security or a disputed charge → never upbeat; upbeat only for a positive customer on a plain matter.
 */
export function chooseTone(sentiment: SentimentResult, solutions: readonly AttemptedSolution[], matters: ReadonlySet<Matter> = new Set()): OpenerResult['tone'] {
  const rejected = new Set(rejectedOffers(solutions).map((s) => s.messageIndex)).size;
  if (matters.has('legal')) return 'formal';
  const urgent = sentiment.signals.some((s) => s.id === 'urgency');
  if (matters.has('outage') && (urgent || sentiment.label === 'negative')) return 'direct';
  if (sentiment.label === 'negative' && (sentiment.frustration >= 0.5 || rejected >= 2)) return 'apologetic';
  if (sentiment.label === 'negative' || rejected >= 1 || matters.has('complaint')) return 'empathetic';
  if (matters.has('outage')) return 'direct';
  if (sentiment.label === 'positive' && !matters.has('security') && !matters.has('disputed_charge')) return 'upbeat';
  return 'neutral';
}

/** No exclamation mark and no cheer: every tone but upbeat and neutral on a plain matter. */
export function mustBeCalm(tone: OpenerResult['tone'], sentiment: SentimentResult, matters: ReadonlySet<Matter>): boolean {
  return tone !== 'upbeat' && (tone !== 'neutral' || sentiment.label === 'negative' || matters.size > 0);
}

/** "Olá, Ana!" → "Olá, Ana." ; "¡Gracias!" → "Gracias." ; "！" → "。" (Baton's own template words only). */
export function calm(text: string): string {
  return text.replace(/¡/g, '').replace(/！/g, '。').replace(/!+/g, '.');
}
