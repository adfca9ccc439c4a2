/**
 * What the bot tells the customer while the handoff is queued, by the request's `languageCode`. Honest on
 * purpose: a person will answer in this conversation and has the history. A tenant's own wording
 * (`transitionMessages`) wins; a language without a message falls back from `pt-BR` to `pt`, then to English.
 */
export const TRANSITION_MESSAGES: Readonly<Record<string, string>> = {
  en: "I'm passing you to a person on our team. They'll reply here, and they can see our conversation, so you won't need to repeat anything.",
  de: 'Ich übergebe Sie an eine Person aus unserem Team. Sie antwortet Ihnen hier und sieht unser Gespräch, Sie müssen also nichts wiederholen.',
  fr: "Je vous mets en relation avec une personne de notre équipe. Elle vous répondra ici et voit notre conversation : vous n'aurez rien à répéter.",
  es: 'Te paso con una persona de nuestro equipo. Te responderá aquí y puede ver nuestra conversación, así que no tendrás que repetir nada.',
  pt: 'Vou passar você para uma pessoa da nossa equipe. Ela vai responder aqui e pode ver nossa conversa, então você não precisará repetir nada.',
  it: 'Ti passo a una persona del nostro team. Ti risponderà qui e può vedere la nostra conversazione, quindi non dovrai ripetere nulla.',
  nl: 'Ik geef je door aan iemand van ons team. Die antwoordt je hier en kan ons gesprek zien, dus je hoeft niets te herhalen.',
};

export function transitionMessage(languageCode: string | undefined, own: Readonly<Record<string, string>> = {}): string {
  const tag = (languageCode ?? 'en').toLowerCase().replace('_', '-');
  const base = tag.split('-')[0] ?? 'en';
  // Own keys only: a languageCode "constructor" must not reach Object.prototype.
  for (const table of [own, TRANSITION_MESSAGES]) for (const k of [tag, base]) if (Object.hasOwn(table, k)) return table[k] as string;
  return Object.hasOwn(own, 'en') ? (own.en as string) : (TRANSITION_MESSAGES.en as string);
}
