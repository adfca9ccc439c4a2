/**
 * Issue 12 s.4: the conversation's language when the platform sends none, and the per-language phrase
 * tables the English models lean on, extended to ja. Our own examples, each with the class it tests.
 */
import { describe, expect, it } from 'vitest';
import { analyze, resolveAnalysisOptions } from '../../../server/analysis/index.ts';
import { detectHumanRequest } from '../../../server/analysis/human-request.ts';
import { detectLanguage } from '../../../server/analysis/language.ts';
import { messageSentiment } from '../../../server/analysis/message-sentiment.ts';
import { detectSignals } from '../../../server/analysis/signals.ts';
import { classifyTopic } from '../../../server/analysis/topics.ts';
import type { HandoffMessage } from '../../../server/types/handoff-event.ts';
import { eventOf } from './helpers.ts';

const c = (text: string): HandoffMessage => ({ role: 'customer', text });

describe('language detection', () => {
  it.each([
    ['ja', ['注文した荷物がまだ届きません。', '人間と話したいです']],
    ['ja', ['パスワードを忘れました']],
    ['es', ['Hola, quiero cancelar mi suscripción pero no funciona']],
    ['de', ['Ich möchte meine Bestellung stornieren, bitte helfen Sie mir']],
    ['fr', ['Je ne peux pas me connecter à mon compte avec le mot de passe']],
    ['pt', ['Olá, não consigo acessar minha conta e quero falar com um atendente']],
    ['en', ['I cannot log in to my account and this is not working']],
  ])('%s: %j', (lang, texts) => {
    expect(detectLanguage(texts)).toBe(lang);
  });

  it('kanji alone is not taken for Japanese (it may be Chinese); one katakana word in English stays English', () => {
    expect(detectLanguage(['我想和人工客服说话'])).toBeUndefined();
    expect(detectLanguage(['I bought a ラーメン maker and it broke, can you help me with this'])).toBe('en');
  });

  it('a ja conversation without a locale gets ja routing and a ja opener; the briefing stays in the tenant’s locale', () => {
    const r = analyze(
      eventOf([c('注文した荷物がまだ届きません。追跡番号も更新されていません。'), { role: 'bot', text: '配送状況はこちらで確認できます' }, c('役に立たない。人間と話したいです')], {
        customer: { name: 'Yuki Tanaka' },
      }),
    );
    expect(r.routing.language).toBe('ja');
    expect(r.opener.locale).toBe('ja');
    expect(r.opener.text).toMatch(/^Yuki様、/);
    expect(r.briefingLocale).toBe('en');
    expect(r.summary.text).toMatch(/^Yuki wrote: “注文した荷物がまだ届きません。 — 追跡番号も更新されていません。” /);
    expect(r.topic.id).toBe('shipping_order');
    expect(r.sentiment.label).toBe('negative');
    expect(r.primaryTrigger).toBe('customer_requested_human');
    expect(r.triggers[0]!.evidence?.excerpt).toContain('人間と話したい');
  });

  it('a platform locale wins over detection (the opener follows it)', () => {
    const r = analyze(eventOf([c('I need help with my order')], { conversation: { nativeId: 'c1', locale: 'ja-JP' } }));
    expect(r.opener.locale).toBe('ja');
  });
});

describe('human request, per language (class: asks for a person / does not)', () => {
  it.each([
    // ja: asking in so many words, asking to be handed over, the bare word, rejecting the bot, "is anyone there"
    ['ja', '人間と話したいです'],
    ['ja', '担当者に代わってください'],
    ['ja', 'オペレーターにつないでもらえますか'],
    ['ja', 'オペレーター'],
    ['ja', 'オペレーター！'],
    ['ja', '有人対応をお願いします'],
    ['ja', 'ボットじゃなくて人と話したい'],
    ['ja', 'スタッフの方はいますか？'],
    ['ja', '担当者をお願いします'],
    ['ja', '生身の人と話させてください'],
    ['es', 'quiero hablar con un humano'],
    ['es', 'pásame con un agente por favor'],
    ['de', 'Ich möchte mit einem Mitarbeiter sprechen'],
    ['fr', 'je veux parler à un conseiller'],
    ['pt', 'quero falar com um atendente'],
  ])('%s request: %s', (_lang, text) => {
    expect(detectHumanRequest(text)).toBeDefined();
  });

  it.each([
    // ja: declining (negation after the noun), asking what the bot is, delegating a check, a friend, on someone's behalf
    ['ja', '担当者と話す必要はありません'],
    ['ja', 'オペレーターは不要です'],
    ['ja', 'あなたは人間ですか？'],
    ['ja', '担当者に確認してもらえますか'],
    ['ja', '友人と話したら解決しました'],
    ['ja', '荷物がまだ届きません'],
    ['ja', '本人に代わって手続きしたいです'],
    ['es', 'no quiero hablar con un agente'],
    ['de', 'Wo ist meine Bestellung?'],
    ['fr', 'pas besoin de parler à un conseiller'],
    ['pt', 'não quero falar com um atendente'],
  ])('%s not a request: %s', (_lang, text) => {
    expect(detectHumanRequest(text)).toBeUndefined();
  });

  it('the ja evidence is the customer’s words around the match, from the text as written', () => {
    expect(detectHumanRequest('もう無理です。担当者に代わってください')!.excerpt).toContain('担当者に代わって');
  });
});

describe('sentiment, per language', () => {
  it.each([
    // complaint stated as a fact (class: service failure, no emotional word)
    ['ja', '荷物がまだ届きません', 'negative'],
    ['ja', 'ログインできない状態が続いています', 'negative'],
    // sarcastic thanks (class: thanks for the failure)
    ['ja', '三時間も待たせてくれてありがとう', 'negative'],
    // praise (class: positive)
    ['ja', 'とても助かりました。ありがとうございます！', 'positive'],
    // a polite question (class: courtesy is not positive)
    ['ja', '配送料金について教えていただけますか？ありがとうございます', 'neutral'],
    ['ja', 'パスワードの変更はできませんか？', 'neutral'],
    ['es', 'no funciona y estoy harto', 'negative'],
    ['de', 'Es funktioniert immer noch nicht', 'negative'],
    ['fr', 'ça ne marche pas depuis hier', 'negative'],
    ['pt', 'meu pedido ainda não chegou', 'negative'],
  ])('%s: %s -> %s', (_lang, text, label) => {
    expect(messageSentiment(text).label).toBe(label);
  });

  it.each([
    ['至急対応してください', 'urgency'],
    ['他社に乗り換えます', 'churn_threat'],
    ['もういいです', 'giving_up'],
    ['役に立たないボットですね', 'bot_frustration'],
    ['何度も同じ説明をしています', 'frustration_phrase'],
    ['クソみたいな対応', 'profanity'],
    ['どうなってるの！！', 'repeated_punctuation'],
  ])('ja signal: %s -> %s', (text, id) => {
    const signals = detectSignals([{ messageIndex: 0, text }]);
    const hit = signals.find((s) => s.id === id);
    expect(hit, JSON.stringify(signals)).toBeDefined();
    expect(hit!.excerpt).toBe(text);
  });

  it('a ja signal is counted once per message, and a calm ja message raises none', () => {
    expect(detectSignals([{ messageIndex: 0, text: '至急！緊急です！今すぐ' }]).filter((s) => s.id === 'urgency')).toHaveLength(1);
    expect(detectSignals([{ messageIndex: 0, text: '注文の配送状況を教えてください' }])).toEqual([]);
  });
});

describe('topics, ja keywords (matched as substrings: no spaces in Japanese)', () => {
  const opts = resolveAnalysisOptions({});
  it.each([
    ['返金してほしいです', 'refund'],
    ['パスワードを忘れてログインできません', 'account_security'],
    ['サブスクリプションを解約したい', 'cancellation'],
    ['荷物が届かないのですが', 'shipping_order'],
    ['先月の請求書を送ってください', 'billing_payment'],
    ['二重請求されています', 'billing_dispute'],
    ['弁護士に相談します', 'legal'],
    ['アプリでエラーが出て動かない', 'technical_issue'],
    ['エクスポートはどうやってやりますか', 'how_to'],
  ])('%s -> %s', (text, topic) => {
    expect(classifyTopic({ texts: [text], language: 'ja' }, opts).id).toBe(topic);
  });
});
