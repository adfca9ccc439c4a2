/**
 * Escalation reasons grouped by similar wording (issue 11): a cluster key from the reason's trigger and its two
 * most telling content words (longest first, then alphabetical), so "I want to talk to a human agent" and "human
 * agent please" land together. Deliberately simple and deterministic; computed once when the outcome row is written.
 */
import { words } from '../analysis/text.ts';

const FILLER = new Set(
  'the and for with that this have want need please just your what from about would could talk speak someone person ' +
    'quiero hablar necesito bitte möchte sprechen veux parler besoin quero falar preciso'
      .split(' '),
);

export function reasonClusterKey(trigger: string, reasonText: string | null): string {
  if (!reasonText) return trigger;
  const content = [...new Set(words(reasonText).filter((w) => w.length >= 4 && !FILLER.has(w) && !/^\d+$/.test(w)))];
  content.sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
  const top = content.slice(0, 2).sort();
  return top.length ? `${trigger}: ${top.join(' ')}` : trigger;
}
