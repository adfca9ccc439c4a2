/**
 * The words analysis writes into a report (summary, next steps, trigger and priority details), one table
 * per briefing locale. The customer's quoted words and ids stay as they are; everything Baton says is
 * worded here. Pure data and small functions: analyze() stays deterministic and browser-safe.
 * Headings and enum labels are the briefing's (server/briefing/wording*.ts); these are the sentences.
 */
import type { SolutionOutcome } from '../types/handoff-report.ts';

/** Locales a tenant can brief its agents in (`analysis.briefingLocale`); English is the default. */
export const BRIEFING_LOCALES = ['en', 'es', 'de', 'fr', 'pt-BR', 'ja'] as const;
export type BriefingLocale = (typeof BRIEFING_LOCALES)[number];
export const DEFAULT_BRIEFING_LOCALE: BriefingLocale = 'en';

/** `pt-br`, `PT-BR` → `pt-BR`; anything that is not one of BRIEFING_LOCALES → undefined. */
export function asBriefingLocale(tag: unknown): BriefingLocale | undefined {
  if (typeof tag !== 'string') return undefined;
  const t = tag.trim().replace('_', '-').toLowerCase();
  return BRIEFING_LOCALES.find((l) => l.toLowerCase() === t);
}

/** The describeSolution() / opener language for a briefing locale (`pt-BR` uses the `pt` wording). */
export function describeLang(locale: BriefingLocale): string {
  return locale === 'pt-BR' ? 'pt' : locale;
}

export interface ReportText {
  /** "The customer" when no name is known (subject of a sentence). */
  customer: string;
  /** How the summary names a customer by first name ("Sarah"; ja "Sarah様"). */
  nameOf(first: string): string;
  bot: string;
  /** Joins a list: "a, b and c". */
  list(items: readonly string[]): string;
  /** A decimal as this locale writes it (0.35 → "0,35"). */
  num(n: number | string): string;
  /** Default topic ids in words; a custom topic (or English) shows its id. */
  topics: Record<string, string>;
  outcomes: Record<SolutionOutcome, string>;
  summary: {
    wrote(who: string, quote: string): string;
    noIssue(who: string, topic: string | undefined): string;
    tried(bot: string, items: readonly string[], more: number): string;
    triedNone(bot: string): string;
    attempt(what: string, outcome: string): string;
    /** The third sentence; `named` is false for the default "The customer". */
    now(who: string, named: boolean, parts: readonly string[]): string;
    needsPerson(who: string, named: boolean): string;
    askedPerson: string;
    /** What the customer wants now, their own sentence and its message (1-based), e.g. `writes: “…” (message 3)`. */
    writes(quote: string, messageNumber: number): string;
    urgent: string;
    churn: string;
    contactedBefore: string;
  };
  steps: {
    urgent: string;
    byTopic: Record<string, (v: { amounts: string[]; orders: string[]; codes: string[] }) => string>;
    dontResend(names: readonly string[]): string;
    linkEarlier: string;
    retention: string;
    sensitiveData: string;
    fallback: string;
  };
  triggers: {
    askedTimes(n: number): string;
    reportedByPlatform: string;
    rejected(n: number): string;
    repeatedQuestion: string;
    negative(score: string, frustration: string): string;
    contactedBefore: string;
    longConversation(turns: number, messages: number): string;
    reportedByBot(words: string): string;
    /** The bot said it could not help (n times): evidence of its failure, not an attempted solution. */
    botCouldNotHelp(n: number): string;
    noReason(nativeType: string): string;
  };
  priority: {
    tier(tier: string): string;
    negative(frustration: string): string;
    frustration(frustration: string): string;
    minutes(n: number): string;
    repeatContact: string;
    urgent: string;
    churn: string;
    botFailed: string;
    askedPerson: string;
  };
}

/** A quote that already ends a sentence (in any script) gets no full stop after it. */
const ENDS_SENTENCE_RE = /[.!?…。！？]$/;
const decimalComma = (n: number | string): string => String(n).replace('.', ',');
const paren = (xs: readonly string[], n: number): string => (xs.length ? ` (${xs.slice(0, n).join(', ')})` : '');
const jaParen = (xs: readonly string[], n: number): string => (xs.length ? `（${xs.slice(0, n).join('、')}）` : '');
const joinWith = (and: string) => (items: readonly string[]): string =>
  items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;

const EN: ReportText = {
  customer: 'The customer',
  nameOf: (first) => first,
  bot: 'The bot',
  list: joinWith('and'),
  num: String,
  // English names topics by their ids (as reports always did); the other locales translate the defaults.
  topics: {},
  outcomes: { rejected: 'rejected', ignored: 'ignored', accepted: 'accepted', unclear: 'unclear' },
  summary: {
    wrote: (who, q) => `${who} wrote: “${q}”${ENDS_SENTENCE_RE.test(q) ? '' : '.'}`,
    noIssue: (who, topic) => `${who} did not describe the issue to the bot${topic ? ` (topic: ${topic})` : ''}.`,
    tried: (bot, items, more) => `${bot} tried ${EN_LIST(items)}${more > 0 ? ` and ${more} more` : ''}.`,
    triedNone: (bot) => `${bot} did not offer a solution before the handoff.`,
    attempt: (what, outcome) => `${what} (${outcome})`,
    now: (who, named, parts) => `Now ${named ? who : 'they'} ${EN_LIST(parts)}.`,
    needsPerson: (who, named) => `Now ${named ? `${who} needs` : 'they need'} a person to pick this up.`,
    askedPerson: 'asked for a person',
    writes: (q, n) => `writes: “${q}” (message ${n})`,
    urgent: 'says it is urgent',
    churn: 'is threatening to leave',
    contactedBefore: 'has contacted us before',
  },
  steps: {
    urgent: 'Reply first: the customer says this is urgent.',
    byTopic: {
      cancellation: () => 'Check the account for the cancellation the customer describes and confirm its status in writing.',
      billing_dispute: (v) => `Pull up the charges${paren(v.amounts, 3)} and reverse any duplicate or unauthorised one once confirmed.`,
      refund: (v) => `Look up the refund${v.orders.length ? ` for ${v.orders.slice(0, 2).join(', ')}` : ''} and give the customer a concrete date.`,
      billing_payment: () => 'Check the payment method and the latest invoice before replying.',
      account_security: () => 'Verify the customer’s identity before changing credentials, then check for suspicious activity.',
      account_management: () => 'Make the account change directly rather than sending instructions.',
      shipping_order: (v) => `Check the tracking${v.orders.length ? ` for ${v.orders.slice(0, 2).join(', ')}` : ''} and give a delivery estimate.`,
      technical_issue: (v) => `Reproduce the problem${paren(v.codes, 2)} and link it to a bug report if it is new.`,
      legal: () => 'Do not commit to anything; route to the legal or compliance contact.',
      complaint: () => 'Acknowledge the complaint and log it for follow-up.',
    },
    dontResend: (names) => `Don't resend ${names.join(' or ')}: the customer already said it did not help.`,
    linkEarlier: 'Link the earlier contact(s) so the customer does not have to explain again.',
    retention: 'Retention risk: consider looping in the account owner.',
    sensitiveData: 'The customer shared sensitive data (redacted here); ask them not to send it in chat.',
    fallback: 'Confirm the issue in one line and resolve it directly.',
  },
  triggers: {
    askedTimes: (n) => `asked ${n} times`,
    reportedByPlatform: 'reported by the bot platform',
    rejected: (n) => `${n} bot answers rejected`,
    repeatedQuestion: 'customer repeated the question',
    negative: (s, f) => `score ${s}, frustration ${f}`,
    contactedBefore: 'customer says they contacted us before',
    longConversation: (t, m) => `${t} customer turns, ${m} messages`,
    reportedByBot: (w) => `reported by the bot: ${w}`,
    botCouldNotHelp: (n) => (n > 1 ? `the bot said ${n} times it could not help` : 'the bot said it could not help'),
    noReason: (t) => `handoff (${t}) without a stated reason`,
  },
  priority: {
    tier: (t) => `${t} customer`,
    negative: (f) => `negative, frustration ${f}`,
    frustration: (f) => `frustration ${f}`,
    minutes: (n) => `${n} min in the bot`,
    repeatContact: 'contacted us before about this',
    urgent: 'customer says it is urgent',
    churn: 'churn threat',
    botFailed: 'bot failed repeatedly',
    askedPerson: 'asked for a person',
  },
};
function EN_LIST(items: readonly string[]): string {
  return joinWith('and')(items);
}

const ES: ReportText = {
  customer: 'El cliente',
  nameOf: (first) => first,
  bot: 'El bot',
  list: joinWith('y'),
  num: decimalComma,
  topics: {
    billing_dispute: 'disputa de cobro', refund: 'reembolso', cancellation: 'cancelación', billing_payment: 'facturación y pagos',
    account_security: 'seguridad de la cuenta', account_management: 'gestión de la cuenta', shipping_order: 'envíos y pedidos',
    technical_issue: 'problema técnico', legal: 'asunto legal', complaint: 'queja', feedback: 'comentarios', how_to: 'consulta de uso', other: 'otro',
  },
  outcomes: { rejected: 'rechazado', ignored: 'ignorado', accepted: 'aceptado', unclear: 'sin determinar' },
  summary: {
    wrote: (who, q) => `${who} escribió: “${q}”${ENDS_SENTENCE_RE.test(q) ? '' : '.'}`,
    noIssue: (who, topic) => `${who} no describió el problema al bot${topic ? ` (tema: ${topic})` : ''}.`,
    tried: (bot, items, more) => `${bot} probó ${joinWith('y')(items)}${more > 0 ? ` y ${more} más` : ''}.`,
    triedNone: (bot) => `${bot} no ofreció ninguna solución antes de la transferencia.`,
    attempt: (what, outcome) => `${what} (${outcome})`,
    now: (who, named, parts) => `Ahora ${named ? who : 'el cliente'} ${joinWith('y')(parts)}.`,
    needsPerson: (who, named) => `Ahora ${named ? who : 'el cliente'} necesita que una persona se haga cargo.`,
    askedPerson: 'pidió hablar con una persona',
    writes: (q, n) => `escribe: «${q}» (mensaje ${n})`,
    urgent: 'dice que es urgente',
    churn: 'amenaza con irse',
    contactedBefore: 'ya nos había contactado antes',
  },
  steps: {
    urgent: 'Responde primero: el cliente dice que es urgente.',
    byTopic: {
      cancellation: () => 'Busca en la cuenta la cancelación que describe el cliente y confirma su estado por escrito.',
      billing_dispute: (v) => `Revisa los cobros${paren(v.amounts, 3)} y anula cualquier cobro duplicado o no autorizado una vez confirmado.`,
      refund: (v) => `Consulta el reembolso${v.orders.length ? ` de ${v.orders.slice(0, 2).join(', ')}` : ''} y da al cliente una fecha concreta.`,
      billing_payment: () => 'Revisa el método de pago y la última factura antes de responder.',
      account_security: () => 'Verifica la identidad del cliente antes de cambiar credenciales y luego busca actividad sospechosa.',
      account_management: () => 'Haz el cambio en la cuenta directamente en lugar de enviar instrucciones.',
      shipping_order: (v) => `Revisa el seguimiento${v.orders.length ? ` de ${v.orders.slice(0, 2).join(', ')}` : ''} y da una fecha estimada de entrega.`,
      technical_issue: (v) => `Reproduce el problema${paren(v.codes, 2)} y vincúlalo a un informe de error si es nuevo.`,
      legal: () => 'No te comprometas a nada; deriva al contacto legal o de cumplimiento.',
      complaint: () => 'Reconoce la queja y regístrala para su seguimiento.',
    },
    dontResend: (names) => `No vuelvas a enviar ${names.join(' ni ')}: el cliente ya dijo que no le sirvió.`,
    linkEarlier: 'Vincula los contactos anteriores para que el cliente no tenga que explicarlo otra vez.',
    retention: 'Riesgo de baja: considera avisar al responsable de la cuenta.',
    sensitiveData: 'El cliente compartió datos sensibles (ocultados aquí); pídele que no los envíe por chat.',
    fallback: 'Confirma el problema en una línea y resuélvelo directamente.',
  },
  triggers: {
    askedTimes: (n) => `lo pidió ${n} veces`,
    reportedByPlatform: 'indicado por la plataforma del bot',
    rejected: (n) => `${n} respuestas del bot rechazadas`,
    repeatedQuestion: 'el cliente repitió la pregunta',
    negative: (s, f) => `puntuación ${s}, frustración ${f}`,
    contactedBefore: 'el cliente dice que ya nos contactó',
    longConversation: (t, m) => `${t} turnos del cliente, ${m} mensajes`,
    reportedByBot: (w) => `indicado por el bot: ${w}`,
    botCouldNotHelp: (n) => (n > 1 ? `el bot dijo ${n} veces que no podía ayudar` : 'el bot dijo que no podía ayudar'),
    noReason: (t) => `transferencia (${t}) sin motivo indicado`,
  },
  priority: {
    tier: (t) => `cliente ${t}`,
    negative: (f) => `negativo, frustración ${f}`,
    frustration: (f) => `frustración ${f}`,
    minutes: (n) => `${n} min con el bot`,
    repeatContact: 'ya nos contactó por esto',
    urgent: 'el cliente dice que es urgente',
    churn: 'riesgo de baja',
    botFailed: 'el bot falló varias veces',
    askedPerson: 'pidió hablar con una persona',
  },
};

const DE: ReportText = {
  customer: 'Der Kunde',
  nameOf: (first) => first,
  bot: 'Der Bot',
  list: joinWith('und'),
  num: decimalComma,
  topics: {
    billing_dispute: 'strittige Abbuchung', refund: 'Erstattung', cancellation: 'Kündigung', billing_payment: 'Rechnung und Zahlung',
    account_security: 'Kontosicherheit', account_management: 'Kontoverwaltung', shipping_order: 'Versand und Bestellungen',
    technical_issue: 'technisches Problem', legal: 'Rechtliches', complaint: 'Beschwerde', feedback: 'Rückmeldung', how_to: 'Anleitungsfrage', other: 'Sonstiges',
  },
  outcomes: { rejected: 'abgelehnt', ignored: 'ignoriert', accepted: 'angenommen', unclear: 'unklar' },
  summary: {
    wrote: (who, q) => `${who} schrieb: „${q}“${ENDS_SENTENCE_RE.test(q) ? '' : '.'}`,
    noIssue: (who, topic) => `${who} hat dem Bot das Anliegen nicht beschrieben${topic ? ` (Thema: ${topic})` : ''}.`,
    // A colon keeps the attempts in the nominative describeSolution() writes them in.
    tried: (bot, items, more) => `${bot} hat versucht: ${joinWith('und')(items)}${more > 0 ? ` und ${more} weitere` : ''}.`,
    triedNone: (bot) => `${bot} hat vor der Übergabe keine Lösung angeboten.`,
    attempt: (what, outcome) => `${what} (${outcome})`,
    now: (who, _named, parts) => `${who} ${joinWith('und')(parts)}.`,
    needsPerson: (who, named) => `Jetzt braucht ${named ? who : 'der Kunde'} jemanden, der das übernimmt.`,
    askedPerson: 'möchte mit einem Menschen sprechen',
    writes: (q, n) => `schreibt: „${q}“ (Nachricht ${n})`,
    urgent: 'sagt, es sei dringend',
    churn: 'droht zu kündigen',
    contactedBefore: 'hat sich schon früher gemeldet',
  },
  steps: {
    urgent: 'Zuerst antworten: Der Kunde sagt, es sei dringend.',
    byTopic: {
      cancellation: () => 'Prüfe im Konto die beschriebene Kündigung und bestätige ihren Status schriftlich.',
      billing_dispute: (v) => `Sieh dir die Abbuchungen an${paren(v.amounts, 3)} und buche doppelte oder nicht autorisierte nach Prüfung zurück.`,
      refund: (v) => `Sieh dir die Erstattung an${v.orders.length ? ` (${v.orders.slice(0, 2).join(', ')})` : ''} und nenne dem Kunden ein konkretes Datum.`,
      billing_payment: () => 'Prüfe die Zahlungsart und die letzte Rechnung, bevor du antwortest.',
      account_security: () => 'Prüfe die Identität des Kunden, bevor du Zugangsdaten änderst, und dann auf verdächtige Aktivitäten.',
      account_management: () => 'Nimm die Kontoänderung direkt vor, statt eine Anleitung zu schicken.',
      shipping_order: (v) => `Prüfe die Sendungsverfolgung${v.orders.length ? ` (${v.orders.slice(0, 2).join(', ')})` : ''} und nenne einen voraussichtlichen Liefertermin.`,
      technical_issue: (v) => `Stelle das Problem nach${paren(v.codes, 2)} und verknüpfe es mit einer Fehlermeldung, falls es neu ist.`,
      legal: () => 'Sage nichts verbindlich zu; leite an die Rechts- oder Compliance-Stelle weiter.',
      complaint: () => 'Nimm die Beschwerde an und erfasse sie zur Nachverfolgung.',
    },
    dontResend: (names) => `Nicht noch einmal schicken: ${names.join(' oder ')} – der Kunde hat schon gesagt, dass es nicht geholfen hat.`,
    linkEarlier: 'Verknüpfe die früheren Kontakte, damit der Kunde nicht alles noch einmal erklären muss.',
    retention: 'Abwanderungsrisiko: Ziehe die zuständige Kundenbetreuung hinzu.',
    sensitiveData: 'Der Kunde hat sensible Daten geteilt (hier geschwärzt); bitte ihn, sie nicht im Chat zu senden.',
    fallback: 'Bestätige das Anliegen in einem Satz und löse es direkt.',
  },
  triggers: {
    askedTimes: (n) => `${n}-mal gefragt`,
    reportedByPlatform: 'von der Bot-Plattform gemeldet',
    rejected: (n) => `${n} Bot-Antworten abgelehnt`,
    repeatedQuestion: 'Kunde hat die Frage wiederholt',
    negative: (s, f) => `Wert ${s}, Frustration ${f}`,
    contactedBefore: 'Kunde sagt, er habe sich schon gemeldet',
    longConversation: (t, m) => `${t} Beiträge des Kunden, ${m} Nachrichten`,
    reportedByBot: (w) => `vom Bot gemeldet: ${w}`,
    botCouldNotHelp: (n) => (n > 1 ? `der Bot sagte ${n}-mal, er könne nicht helfen` : 'der Bot sagte, er könne nicht helfen'),
    noReason: (t) => `Übergabe (${t}) ohne angegebenen Grund`,
  },
  priority: {
    tier: (t) => `Kundenstufe ${t}`,
    negative: (f) => `negativ, Frustration ${f}`,
    frustration: (f) => `Frustration ${f}`,
    minutes: (n) => `${n} Min. im Bot`,
    repeatContact: 'hat sich deswegen schon gemeldet',
    urgent: 'Kunde sagt, es sei dringend',
    churn: 'droht zu kündigen',
    botFailed: 'Bot scheiterte mehrmals',
    askedPerson: 'möchte mit einem Menschen sprechen',
  },
};

const FR: ReportText = {
  customer: 'Le client',
  nameOf: (first) => first,
  bot: 'Le bot',
  list: joinWith('et'),
  num: decimalComma,
  topics: {
    billing_dispute: 'contestation de prélèvement', refund: 'remboursement', cancellation: 'résiliation', billing_payment: 'facturation et paiement',
    account_security: 'sécurité du compte', account_management: 'gestion du compte', shipping_order: 'livraisons et commandes',
    technical_issue: 'problème technique', legal: 'question juridique', complaint: 'réclamation', feedback: 'avis', how_to: 'question d’utilisation', other: 'autre',
  },
  outcomes: { rejected: 'rejeté', ignored: 'ignoré', accepted: 'accepté', unclear: 'incertain' },
  summary: {
    wrote: (who, q) => `${who} a écrit : « ${q} »${ENDS_SENTENCE_RE.test(q) ? '' : '.'}`,
    noIssue: (who, topic) => `${who} n’a pas décrit le problème au bot${topic ? ` (sujet : ${topic})` : ''}.`,
    tried: (bot, items, more) => `${bot} a proposé ${joinWith('et')(items)}${more > 0 ? ` et ${more} autre(s)` : ''}.`,
    triedNone: (bot) => `${bot} n’a proposé aucune solution avant le transfert.`,
    attempt: (what, outcome) => `${what} (${outcome})`,
    now: (who, named, parts) => `Maintenant, ${named ? who : 'le client'} ${joinWith('et')(parts)}.`,
    needsPerson: (who, named) => `Maintenant, ${named ? who : 'le client'} a besoin qu’une personne prenne le relais.`,
    askedPerson: 'a demandé à parler à une personne',
    writes: (q, n) => `écrit : « ${q} » (message ${n})`,
    urgent: 'dit que c’est urgent',
    churn: 'menace de partir',
    contactedBefore: 'nous a déjà contactés',
  },
  steps: {
    urgent: 'Répondez en premier : le client dit que c’est urgent.',
    byTopic: {
      cancellation: () => 'Retrouvez dans le compte la résiliation décrite par le client et confirmez son statut par écrit.',
      billing_dispute: (v) => `Consultez les prélèvements${paren(v.amounts, 3)} et annulez tout doublon ou prélèvement non autorisé une fois vérifié.`,
      refund: (v) => `Retrouvez le remboursement${v.orders.length ? ` de ${v.orders.slice(0, 2).join(', ')}` : ''} et donnez au client une date précise.`,
      billing_payment: () => 'Vérifiez le moyen de paiement et la dernière facture avant de répondre.',
      account_security: () => 'Vérifiez l’identité du client avant de modifier ses identifiants, puis recherchez une activité suspecte.',
      account_management: () => 'Faites la modification du compte directement plutôt que d’envoyer des instructions.',
      shipping_order: (v) => `Vérifiez le suivi${v.orders.length ? ` de ${v.orders.slice(0, 2).join(', ')}` : ''} et donnez une date de livraison estimée.`,
      technical_issue: (v) => `Reproduisez le problème${paren(v.codes, 2)} et rattachez-le à un rapport de bogue s’il est nouveau.`,
      legal: () => 'Ne vous engagez sur rien ; transmettez au contact juridique ou conformité.',
      complaint: () => 'Prenez acte de la réclamation et enregistrez-la pour suivi.',
    },
    dontResend: (names) => `Ne renvoyez pas ${names.join(' ni ')} : le client a déjà dit que cela ne l’a pas aidé.`,
    linkEarlier: 'Reliez les contacts précédents pour que le client n’ait pas à tout réexpliquer.',
    retention: 'Risque de départ : pensez à impliquer le responsable du compte.',
    sensitiveData: 'Le client a partagé des données sensibles (masquées ici) ; demandez-lui de ne pas les envoyer par chat.',
    fallback: 'Confirmez le problème en une phrase et résolvez-le directement.',
  },
  triggers: {
    askedTimes: (n) => `demandé ${n} fois`,
    reportedByPlatform: 'signalé par la plateforme du bot',
    rejected: (n) => `${n} réponses du bot rejetées`,
    repeatedQuestion: 'le client a répété sa question',
    negative: (s, f) => `score ${s}, frustration ${f}`,
    contactedBefore: 'le client dit nous avoir déjà contactés',
    longConversation: (t, m) => `${t} interventions du client, ${m} échanges`,
    reportedByBot: (w) => `signalé par le bot : ${w}`,
    botCouldNotHelp: (n) => (n > 1 ? `le bot a dit ${n} fois ne pas pouvoir aider` : 'le bot a dit ne pas pouvoir aider'),
    noReason: (t) => `transfert (${t}) sans motif indiqué`,
  },
  priority: {
    tier: (t) => `client ${t}`,
    negative: (f) => `négatif, frustration ${f}`,
    frustration: (f) => `frustration ${f}`,
    minutes: (n) => `${n} min avec le bot`,
    repeatContact: 'nous a déjà contactés à ce sujet',
    urgent: 'le client dit que c’est urgent',
    churn: 'risque de départ',
    botFailed: 'échecs répétés du bot',
    askedPerson: 'a demandé une personne',
  },
};

const PT_BR: ReportText = {
  customer: 'O cliente',
  nameOf: (first) => first,
  bot: 'O bot',
  list: joinWith('e'),
  num: decimalComma,
  topics: {
    billing_dispute: 'contestação de cobrança', refund: 'reembolso', cancellation: 'cancelamento', billing_payment: 'faturamento e pagamento',
    account_security: 'segurança da conta', account_management: 'gestão da conta', shipping_order: 'entregas e pedidos',
    technical_issue: 'problema técnico', legal: 'questão jurídica', complaint: 'reclamação', feedback: 'opinião', how_to: 'dúvida de uso', other: 'outro',
  },
  outcomes: { rejected: 'rejeitado', ignored: 'ignorado', accepted: 'aceito', unclear: 'indefinido' },
  summary: {
    wrote: (who, q) => `${who} escreveu: “${q}”${ENDS_SENTENCE_RE.test(q) ? '' : '.'}`,
    noIssue: (who, topic) => `${who} não descreveu o problema ao bot${topic ? ` (assunto: ${topic})` : ''}.`,
    tried: (bot, items, more) => `${bot} tentou ${joinWith('e')(items)}${more > 0 ? ` e mais ${more}` : ''}.`,
    triedNone: (bot) => `${bot} não ofereceu nenhuma solução antes da transferência.`,
    attempt: (what, outcome) => `${what} (${outcome})`,
    now: (who, named, parts) => `Agora ${named ? `${who} ` : 'o cliente '}${joinWith('e')(parts)}.`,
    needsPerson: (who, named) => `Agora ${named ? who : 'o cliente'} precisa que uma pessoa assuma o atendimento.`,
    askedPerson: 'pediu para falar com uma pessoa',
    writes: (q, n) => `escreve: “${q}” (mensagem ${n})`,
    urgent: 'diz que é urgente',
    churn: 'ameaça ir embora',
    contactedBefore: 'já nos contatou antes',
  },
  steps: {
    urgent: 'Responda primeiro: o cliente diz que é urgente.',
    byTopic: {
      cancellation: () => 'Procure na conta o cancelamento que o cliente descreve e confirme o status por escrito.',
      billing_dispute: (v) => `Consulte as cobranças${paren(v.amounts, 3)} e estorne qualquer cobrança duplicada ou não autorizada depois de confirmar.`,
      refund: (v) => `Consulte o reembolso${v.orders.length ? ` de ${v.orders.slice(0, 2).join(', ')}` : ''} e dê ao cliente uma data concreta.`,
      billing_payment: () => 'Confira a forma de pagamento e a última fatura antes de responder.',
      account_security: () => 'Confirme a identidade do cliente antes de alterar credenciais e depois verifique atividades suspeitas.',
      account_management: () => 'Faça a alteração na conta diretamente em vez de enviar instruções.',
      shipping_order: (v) => `Confira o rastreamento${v.orders.length ? ` de ${v.orders.slice(0, 2).join(', ')}` : ''} e dê uma previsão de entrega.`,
      technical_issue: (v) => `Reproduza o problema${paren(v.codes, 2)} e vincule-o a um relatório de erro se for novo.`,
      legal: () => 'Não assuma nenhum compromisso; encaminhe ao contato jurídico ou de compliance.',
      complaint: () => 'Reconheça a reclamação e registre-a para acompanhamento.',
    },
    dontResend: (names) => `Não reenvie ${names.join(' nem ')}: o cliente já disse que não ajudou.`,
    linkEarlier: 'Vincule os contatos anteriores para que o cliente não precise explicar tudo de novo.',
    retention: 'Risco de cancelamento: considere envolver o responsável pela conta.',
    sensitiveData: 'O cliente compartilhou dados sensíveis (ocultados aqui); peça que não os envie pelo chat.',
    fallback: 'Confirme o problema em uma frase e resolva diretamente.',
  },
  triggers: {
    askedTimes: (n) => `pediu ${n} vezes`,
    reportedByPlatform: 'informado pela plataforma do bot',
    rejected: (n) => `${n} respostas do bot rejeitadas`,
    repeatedQuestion: 'o cliente repetiu a pergunta',
    negative: (s, f) => `pontuação ${s}, frustração ${f}`,
    contactedBefore: 'o cliente diz que já nos contatou',
    longConversation: (t, m) => `${t} falas do cliente, ${m} mensagens`,
    reportedByBot: (w) => `informado pelo bot: ${w}`,
    botCouldNotHelp: (n) => (n > 1 ? `o bot disse ${n} vezes que não podia ajudar` : 'o bot disse que não podia ajudar'),
    noReason: (t) => `transferência (${t}) sem motivo informado`,
  },
  priority: {
    tier: (t) => `cliente ${t}`,
    negative: (f) => `negativo, frustração ${f}`,
    frustration: (f) => `frustração ${f}`,
    minutes: (n) => `${n} min com o bot`,
    repeatContact: 'já nos contatou sobre isso',
    urgent: 'o cliente diz que é urgente',
    churn: 'risco de cancelamento',
    botFailed: 'o bot falhou várias vezes',
    askedPerson: 'pediu uma pessoa',
  },
};

const JA: ReportText = {
  customer: 'お客様',
  nameOf: (first) => `${first}様`,
  bot: 'ボット',
  list: (items) => items.join('、'),
  num: String,
  topics: {
    billing_dispute: '請求への異議', refund: '返金', cancellation: '解約', billing_payment: '請求・支払い',
    account_security: 'アカウントのセキュリティ', account_management: 'アカウント管理', shipping_order: '配送・注文',
    technical_issue: '技術的な問題', legal: '法務', complaint: '苦情', feedback: 'ご意見', how_to: '使い方の質問', other: 'その他',
  },
  outcomes: { rejected: '拒否', ignored: '無視', accepted: '受け入れ', unclear: '不明' },
  summary: {
    wrote: (who, q) => `${who}のメッセージ:「${q}」`,
    noIssue: (who, topic) => `${who}はボットに問題を説明していません${topic ? `（トピック: ${topic}）` : ''}。`,
    tried: (bot, items, more) => `${bot}は${items.join('、')}${more > 0 ? `ほか${more}件` : ''}を試しました。`,
    triedNone: (bot) => `${bot}は引き継ぎ前に解決策を提示しませんでした。`,
    attempt: (what, outcome) => `${what}（${outcome}）`,
    now: (who, _named, parts) => `現在、${who}は${parts.join('。また、')}。`,
    needsPerson: (who) => `現在、${who}の対応を担当者が引き継ぐ必要があります。`,
    askedPerson: '担当者との会話を希望しています',
    writes: (q, n) => `「${q}」と書いています（メッセージ${n}）`,
    urgent: '急ぎだと言っています',
    churn: '解約をほのめかしています',
    contactedBefore: '以前にも問い合わせています',
  },
  steps: {
    urgent: '最優先で返信してください。お客様は急ぎだと言っています。',
    byTopic: {
      cancellation: () => 'お客様が説明している解約をアカウントで確認し、状況を書面で伝えてください。',
      billing_dispute: (v) => `請求内容${jaParen(v.amounts, 3)}を確認し、重複や不正な請求であれば確認後に取り消してください。`,
      refund: (v) => `返金状況${v.orders.length ? `（${v.orders.slice(0, 2).join('、')}）` : ''}を確認し、具体的な日付をお伝えください。`,
      billing_payment: () => '返信する前に、支払い方法と最新の請求書を確認してください。',
      account_security: () => '認証情報を変更する前にご本人確認を行い、その後不審なアクティビティを確認してください。',
      account_management: () => '手順を送るのではなく、アカウントの変更を直接行ってください。',
      shipping_order: (v) => `配送状況${v.orders.length ? `（${v.orders.slice(0, 2).join('、')}）` : ''}を確認し、お届け予定日をお伝えください。`,
      technical_issue: (v) => `問題${jaParen(v.codes, 2)}を再現し、新しい問題であれば不具合報告に紐づけてください。`,
      legal: () => '何も約束せず、法務またはコンプライアンスの担当に回してください。',
      complaint: () => '苦情を受け止め、フォローアップのために記録してください。',
    },
    dontResend: (names) => `${names.join('や')}を再送しないでください。お客様はすでに役に立たなかったと言っています。`,
    linkEarlier: 'お客様が同じ説明を繰り返さずに済むよう、以前の問い合わせを紐づけてください。',
    retention: '解約リスクがあります。アカウント担当者への共有を検討してください。',
    sensitiveData: 'お客様が機密情報を送信しました（ここでは伏せています）。チャットで送らないようお願いしてください。',
    fallback: '問題を一文で確認し、直接解決してください。',
  },
  triggers: {
    askedTimes: (n) => `${n}回依頼`,
    reportedByPlatform: 'ボットのプラットフォームからの報告',
    rejected: (n) => `ボットの回答${n}件が拒否されました`,
    repeatedQuestion: 'お客様が同じ質問を繰り返しました',
    negative: (s, f) => `スコア ${s}、不満度 ${f}`,
    contactedBefore: 'お客様は以前にも問い合わせたと言っています',
    longConversation: (t, m) => `お客様の発言${t}回、メッセージ${m}件`,
    reportedByBot: (w) => `ボットからの報告: ${w}`,
    botCouldNotHelp: (n) => (n > 1 ? `ボットが${n}回、対応できないと回答` : 'ボットが対応できないと回答'),
    noReason: (t) => `理由の記載がない引き継ぎ（${t}）`,
  },
  priority: {
    tier: (t) => `${t}のお客様`,
    negative: (f) => `ネガティブ、不満度 ${f}`,
    frustration: (f) => `不満度 ${f}`,
    minutes: (n) => `ボットで${n}分`,
    repeatContact: 'この件で以前にも問い合わせあり',
    urgent: 'お客様は急ぎだと言っています',
    churn: '解約の示唆',
    botFailed: 'ボットが何度も失敗',
    askedPerson: '担当者を希望',
  },
};

export const REPORT_TEXT: Readonly<Record<BriefingLocale, ReportText>> = { en: EN, es: ES, de: DE, fr: FR, 'pt-BR': PT_BR, ja: JA };

/** A topic in words, for a sentence (`shipping_order` → "shipping order" in English). */
export function topicName(t: ReportText, id: string): string {
  return Object.prototype.hasOwnProperty.call(t.topics, id) ? t.topics[id]! : id.replace(/_/g, ' ');
}

/** A topic in a trigger or priority detail: the id itself where the locale has no word for it. */
export function topicDetail(t: ReportText, id: string): string {
  return Object.prototype.hasOwnProperty.call(t.topics, id) ? t.topics[id]! : id;
}

/** The table for a locale; anything unknown reads English. */
export function reportText(locale: string | undefined): ReportText {
  return REPORT_TEXT[asBriefingLocale(locale) ?? DEFAULT_BRIEFING_LOCALE];
}
