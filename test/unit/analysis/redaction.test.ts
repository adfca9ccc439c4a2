import { describe, expect, it } from 'vitest';
import { luhnValid, redactMessages } from '../../../server/analysis/redaction.ts';
import { DEFAULT_ANALYSIS_OPTIONS } from '../../../server/analysis/options.ts';

const on = DEFAULT_ANALYSIS_OPTIONS.redaction;
const redact = (text: string, role: 'customer' | 'bot' = 'customer', toggles = on) => redactMessages([{ role, text }], toggles);

describe('redaction', () => {
  it('checks Luhn', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
  });

  it('redacts Luhn-valid card numbers with separators and the CVV next to them', () => {
    const r = redact('card 4242-4242-4242-4242 exp 12/27 cvc 987 thanks');
    expect(r.messages[0]!.text).toBe('card [card •••• 4242] exp 12/27 cvc [cvv] thanks');
    expect(r.redactions).toEqual({ total: 2, byKind: { card_number: 1, cvv: 1 } });
  });

  it('redacts an unlabelled CVV right after a card number', () => {
    const r = redact('5555555555554444 123');
    expect(r.messages[0]!.text).toBe('[card •••• 4444] [cvv]');
  });

  it('keeps long numbers that fail Luhn (order ids) and 3-digit numbers without a card', () => {
    const r = redact('order 1234567890123 was 123 dollars');
    expect(r.messages[0]!.text).toBe('order 1234567890123 was 123 dollars');
    expect(r.redactions.total).toBe(0);
  });

  it('redacts passwords the customer typed, in several languages, but not descriptions of them', () => {
    expect(redact('my password is hunter2').messages[0]!.text).toBe('my password is [password]');
    expect(redact('Password: "S3cret!x"').messages[0]!.text).toBe('Password: "[password]"');
    expect(redact('mi contraseña es gato123').messages[0]!.text).toBe('mi contraseña es [password]');
    expect(redact('mein Passwort ist Sommer2024.').messages[0]!.text).toBe('mein Passwort ist [password].');
    expect(redact('my password is not working').redactions.total).toBe(0);
    expect(redact('Your password is case-sensitive', 'bot').redactions.total).toBe(0);
  });

  it('redacts national ids (US SSN, Brazilian CPF, UK NINO)', () => {
    const r = redact('SSN 123-45-6789, CPF 123.456.789-09, NI AB123456C');
    expect(r.messages[0]!.text).toBe('SSN [national id], CPF [national id], NI [national id]');
    expect(r.redactions.byKind.national_id).toBe(3);
  });

  it('honours toggles', () => {
    const r = redact('4111 1111 1111 1111', 'customer', { ...on, cardNumbers: false });
    expect(r.messages[0]!.text).toBe('4111 1111 1111 1111');
  });

  it('also redacts bot action strings', () => {
    const r = redactMessages([{ role: 'bot', text: 'ok', bot: { actions: ['Charged card 4111111111111111'] } }], on);
    expect(r.messages[0]!.bot?.actions?.[0]).toBe('Charged card [card •••• 1111]');
  });
});
