/**
 * Which language the customer writes in, when the platform does not send a locale: a stop-word vote over
 * en/es/de/fr/pt, and for ja its script (kana are Japanese only; kanji alone could be Chinese), enough to
 * route and to pick opener templates.
 */
import { kanaCount } from './japanese.ts';
import { foldAccents, words } from './text.ts';

const STOPWORDS: Record<string, string[]> = {
  en: ['the', 'and', 'is', 'my', 'to', 'i', 'you', 'it', 'not', 'with', 'this', 'what', 'please', 'can', 'have'],
  es: ['el', 'la', 'los', 'las', 'que', 'y', 'es', 'mi', 'con', 'por', 'para', 'no', 'una', 'quiero', 'hablar', 'esta', 'pero'],
  de: ['der', 'die', 'das', 'und', 'ist', 'ich', 'nicht', 'mit', 'mein', 'meine', 'ein', 'eine', 'bitte', 'sie', 'zu', 'mochte'],
  fr: ['le', 'la', 'les', 'et', 'est', 'je', 'pas', 'avec', 'mon', 'ma', 'un', 'une', 'que', 'vous', 'parler', 'ne', 'des'],
  pt: ['o', 'a', 'os', 'as', 'que', 'e', 'nao', 'com', 'meu', 'minha', 'um', 'uma', 'para', 'voce', 'falar', 'quero', 'esta'],
};
const INDEX = new Map<string, string[]>();
for (const [lang, ws] of Object.entries(STOPWORDS)) for (const w of ws) INDEX.set(w, [...(INDEX.get(w) ?? []), lang]);

export function detectLanguage(texts: readonly string[]): string | undefined {
  const votes = new Map<string, number>();
  // One vote per four kana (a short Japanese sentence has ten or more), none below two.
  const kana = texts.reduce((n, t) => n + kanaCount(t), 0);
  if (kana >= 2) votes.set('ja', Math.max(2, Math.floor(kana / 4)));
  for (const t of texts) for (const w of words(foldAccents(t))) for (const l of INDEX.get(w) ?? []) votes.set(l, (votes.get(l) ?? 0) + 1);
  const ranked = [...votes.entries()].sort((a, b) => b[1] - a[1]);
  const top = ranked[0];
  if (!top || top[1] < 2 || (ranked[1] && ranked[1][1] === top[1])) return undefined;
  return top[0];
}
