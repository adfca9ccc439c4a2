/**
 * PII redaction, run first so no later part (summary, facts, evidence, transcript) ever sees the raw values.
 * Card numbers are Luhn-checked (order numbers of the same length survive); a CVV is only redacted next to
 * a card number or a CVV label; passwords only when the customer states one; national ids by format.
 */
import type { HandoffMessage } from '../types/handoff-event.ts';
import type { RedactionKind, RedactionSummary } from '../types/handoff-report.ts';
import type { RedactionToggles } from './options.ts';

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let dbl = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 === 0;
}

/** 4-4-4-4(-3) and Amex 4-6-5 groupings, or 13–19 contiguous digits; groups keep a trailing CVV out of the match. */
const CARD_RE = /(?<![\d-])(?:\d{4}([ -])\d{4}\1\d{4}\1\d{1,7}|\d{4}([ -])\d{6}\2\d{5}|\d{13,19})(?![\d-])/g;
const CVV_LABELLED_RE = /\b(cvv2?|cvc2?|csc|security code|c[oó]digo de seguridad|pr[üu]fnummer|cryptogramme)(\s*(?:(?:is|was|:|=|-|es|ist|est|é)\s*)?)(\d{3,4})\b/gi;
/** A 3–4 digit group shortly after a (redacted) card number, optionally after an expiry date. */
const CVV_AFTER_CARD_RE = /(\[card •••• \d{4}\][^\d\n]{0,25}(?:\d{1,2}\s?\/\s?\d{2,4}[^\d\n]{0,15})?)(\d{3,4})\b/g;
const PASSWORD_RE =
  /\b(pass(?:word|code|wd)|pwd|pw|contrase[ñn]a|clave|passwort|kennwort|mot de passe|mdp|senha)(\s*(?:is|was|=|:|is now|es|era|ist|war|est|était|é|era)\s*)(["'“”‘’]?)([^\s"'“”‘’]{3,64})\3/gi;
const SSN_RE = /\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b/g;
const SSN_LABELLED_RE = /\b(ssn|social security(?: number| no\.?)?)(\s*(?:(?:is|:|#)\s*)?)(\d{9})\b/gi;
const CPF_RE = /\b\d{3}\.\d{3}\.\d{3}-\d{2}\b/g;
const NINO_RE = /\b(?![DFIQUV])[A-CEGHJ-PR-TW-Z](?![DFIQUVO])[A-CEGHJ-PR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b/g;

/** Words that look like a password capture but are not one ("my password is not working"). */
const NOT_A_PASSWORD = new Set([
  'not', 'wrong', 'incorrect', 'correct', 'right', 'invalid', 'expired', 'reset', 'changed', 'the', 'my', 'a', 'still',
  'being', 'too', 'no', 'never', 'case', 'working', 'blocked', 'locked', 'rejected', 'forgotten', 'lost', 'new', 'old',
  'same', 'fine', 'ok', 'okay', 'definitely', 'definitely', 'already', 'required', 'needed', 'empty', 'different',
  'nicht', 'falsch', 'pas', 'incorrecte', 'incorrecta', 'incorreta', 'errada', 'equivocada',
]);

export interface RedactionResult {
  messages: HandoffMessage[];
  redactions: RedactionSummary;
}

/** Every password label above contains one of these (a cheap pre-check before the full pattern). */
const PASSWORD_HINT_RE = /pass|pw|contrase|clave|kennwort|mdp|senha/i;
const DIGIT_RE = /\d/;
/**
 * Every card match contains one of these: the 4-4-4 and 4-6-5 groupings start with 4 digits, a separator and
 * 4 more digits; the contiguous form has 13 digits in a row. Natively cheaper than the full pattern.
 */
const CARD_HINT_RE = /\d{4}[ -]\d{4}|\d{13}/;
/** Every CVV label above contains one of these ("c[oó]digo" and "pr[üu]fnummer" by their common tails). */
const CVV_HINT_RE = /cv[vc]|csc|security code|digo de seguridad|fnummer|cryptogramme/i;

export function redactText(text: string, role: HandoffMessage['role'], toggles: Required<RedactionToggles>, count: (k: RedactionKind) => void): string {
  let out = text;
  let hadCard = false;
  // Cards, CVVs and national ids all contain digits; most chat turns have none.
  const digits = DIGIT_RE.test(text);
  if (toggles.cardNumbers && digits && CARD_HINT_RE.test(text)) {
    out = out.replace(CARD_RE, (m) => {
      const digits = m.replace(/\D/g, '');
      if (digits.length < 13 || digits.length > 19 || !luhnValid(digits) || /^(\d)\1+$/.test(digits)) return m;
      count('card_number');
      hadCard = true;
      return `[card •••• ${digits.slice(-4)}]`;
    });
  }
  if (toggles.cvv && digits) {
    // Card redaction inserts no label ("[card •••• 1234]"), so the label test on the input holds for `out`.
    if (CVV_HINT_RE.test(text)) {
      out = out.replace(CVV_LABELLED_RE, (_m, label: string, sep: string) => {
        count('cvv');
        return `${label}${sep}[cvv]`;
      });
    }
    if (hadCard) {
      out = out.replace(CVV_AFTER_CARD_RE, (_m, before: string) => {
        count('cvv');
        return `${before}[cvv]`;
      });
    }
  }
  // Only what people type: a bot saying "your password is case-sensitive" is not a secret.
  if (toggles.passwords && (role === 'customer' || role === 'agent') && PASSWORD_HINT_RE.test(out)) {
    out = out.replace(PASSWORD_RE, (m, label: string, sep: string, q: string, value: string) => {
      if (NOT_A_PASSWORD.has(value.toLowerCase().replace(/(?<![.,!?;:])[.,!?;:]+$/, ''))) return m;
      count('password');
      const trail = /(?<![.,!?;:])[.,!?;:]+$/.exec(value)?.[0] ?? '';
      return `${label}${sep}${q}[password]${q}${trail}`;
    });
  }
  if (toggles.nationalIds && digits) {
    const nid = (): string => {
      count('national_id');
      return '[national id]';
    };
    out = out.replace(SSN_RE, nid).replace(CPF_RE, nid).replace(NINO_RE, nid);
    out = out.replace(SSN_LABELLED_RE, (_m, label: string, sep: string) => `${label}${sep}${nid()}`);
  }
  return out;
}

/** Redacts every message (text and bot action strings); returns new objects, never mutates the event. */
export function redactMessages(messages: readonly HandoffMessage[], toggles: Required<RedactionToggles>): RedactionResult {
  const byKind: Partial<Record<RedactionKind, number>> = {};
  let total = 0;
  const count = (k: RedactionKind): void => {
    byKind[k] = (byKind[k] ?? 0) + 1;
    total++;
  };
  const out = messages.map((m) => {
    const copy: HandoffMessage = { ...m, text: redactText(m.text ?? '', m.role, toggles, count) };
    if (m.bot) {
      copy.bot = { ...m.bot };
      if (m.bot.actions) copy.bot.actions = m.bot.actions.map((a) => redactText(a, 'bot', toggles, count));
    }
    return copy;
  });
  return { messages: out, redactions: { total, byKind } };
}
