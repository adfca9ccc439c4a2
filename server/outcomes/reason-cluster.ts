/**
 * Escalation reasons grouped by similar wording (issue 11): a cluster key from the reason's trigger and its two
 * most telling content words (longest first, then alphabetical), with the many ways of saying "a person" in the
 * six languages folded into one word, so "I want to talk to a human agent", "Can I speak to a real person" and
 * "quiero hablar con un agente humano" land together. Deterministic; computed once when the outcome row is written.
 */
import { words } from '../analysis/text.ts';

const FILLER = new Set(
  (
    'the and for with that this have want need please just your what from about would could talk speak speaking ' +
    'let can get connect transfer quiero hablar necesito bitte möchte sprechen veux parler besoin quero falar preciso'
  ).split(' '),
);

/** Words for "a person, not the bot" in en/es/de/fr/pt: one cluster word. */
const PERSON = new Set(
  (
    'human humans agent agents person people real representative someone somebody operator staff live ' +
    'agente humano humana persona alguien mensch menschen mitarbeiter mitarbeiterin echten echte ' +
    'humain conseiller conseillère quelqu pessoa atendente alguém'
  ).split(' '),
);

export function reasonClusterKey(trigger: string, reasonText: string | null): string {
  if (!reasonText) return trigger;
  const content = new Set<string>();
  for (const w of words(reasonText)) {
    if (PERSON.has(w)) content.add('human');
    else if (w.length >= 4 && !FILLER.has(w) && !/^\d+$/.test(w)) content.add(w);
  }
  const sorted = [...content].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
  const top = sorted.slice(0, 2).sort();
  return top.length ? `${trigger}: ${top.join(' ')}` : trigger;
}
