import { describe, expect, it } from 'vitest';
import { detectHumanRequest } from '../../../server/analysis/human-request.ts';

describe('human request', () => {
  it.each([
    'real person please',
    'can I speak to someone',
    'operator',
    'agent please',
    'human!!',
    'Let me talk to a person',
    'transfer me to a live agent',
    'I want to speak with a representative',
    'is there a human I can talk to?',
    'Quiero hablar con un agente',
    'Ich möchte mit einem Mitarbeiter sprechen',
    'Je voudrais parler à un conseiller',
    'Quero falar com um atendente',
  ])('detects %j', (text) => {
    expect(detectHumanRequest(text)).toBeDefined();
  });

  it.each([
    'What is my account balance?',
    'I want to change my delivery address',
    "No, you don't need to connect me to an agent, it's fine",
    'How do I become an agent for your company?',
    'Set an alarm for 7am',
  ])('does not fire on %j', (text) => {
    expect(detectHumanRequest(text)).toBeUndefined();
  });

  it('gives an excerpt as evidence', () => {
    expect(detectHumanRequest('The app crashed again. Let me talk to a person')?.excerpt).toContain('talk to a person');
  });
});
