/**
 * Japanese phrase tables: the trained models read English words, and Japanese has no spaces between
 * words, so for ja the engine matches phrases on the text as written (not on accent-folded text: NFD splits
 * が into か + a combining mark) and reads evidence offsets from that same text.
 * Written from our own knowledge of common customer-service Japanese; no ja corpus scored them (unverified
 * beyond the tests in test/unit/analysis/japanese.test.ts).
 */
import type { SentimentSignalId } from '../types/handoff-report.ts';

/** Hiragana, katakana (full and half width) and CJK ideographs. */
const JAPANESE_RE = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]/;
/** Kana only: Chinese has ideographs too, kana are Japanese. */
const KANA_RE = /[\u3040-\u30ff\uff66-\uff9f]/g;

export function hasJapanese(text: string): boolean {
  return JAPANESE_RE.test(text);
}

export function kanaCount(text: string): number {
  KANA_RE.lastIndex = 0;
  return text.match(KANA_RE)?.length ?? 0;
}

const WHO = '(?:人間|担当者|担当の方|担当の人|オペレーター|オペレータ|スタッフ|係員|係の(?:方|人)|有人|サポートの(?:方|人)|窓口の(?:方|人)|責任者|上司|店長|生身の人|本物の人|(?<![\u3400-\u9fff])人)';
const WHO_STRONG = '(?:人間|担当者|担当の方|オペレーター|オペレータ|スタッフ|係員|有人|責任者)';

/**
 * Asking for a person: "人間と話したい", "担当者に代わってください", "オペレーターにつないで", "有人対応",
 * rejecting the bot ("ボットじゃなくて", "機械じゃ話にならない"), or the bare word as the whole message.
 */
export const JA_HUMAN_PATTERNS: readonly RegExp[] = [
  new RegExp(`${WHO}(?:さん|の方)?(?:と|に|へ|で)(?:直接)?(?:お?話し|話せ|話さ|話す|はなし|代わ|かわ|変わ|替わ|代え|かえ|つな|繋|取り次|取次|とりつ|相談し|相談でき|相談さ)`),
  new RegExp(`${WHO_STRONG}(?:さん|の方)?(?:を|に|で|が|は)?(?:お願い|おねがい|呼ん|呼べ|よん|出して|出せ|希望)`),
  new RegExp(`${WHO_STRONG}(?:さん|の方)?(?:が|で)(?:いい|良い)(?:です)?(?:[。!！]|$)`),
  new RegExp(`${WHO_STRONG}(?:さん|の方)?(?:は|が)?(?:いますか|いませんか)|${WHO_STRONG}(?:さん|の方)?に(?:対応|頼)`),
  /有人(?:対応|チャット|サポート|窓口)|電話(?:で|に)(?:話し|相談し)たい/,
  /(?:ボット|ロボット|機械|AI|自動応答|チャットボット)(?:じゃ|では|ではなく|じゃなく)(?:なく|話にならない|だめ|ダメ|無理|埒が明かない|らちが明かない|解決しない)/,
];
/** The bare word as the whole message ("オペレーター！"), tested on the trimmed text (no \s* around it to backtrack on). */
const JA_BARE_RE = new RegExp(`^${WHO_STRONG}(?:さん)?[!！。?？]*$`);

/** Japanese puts the negation after the noun: "担当者は不要です", "人間と話す必要はありません". */
const JA_DECLINED_RE = /^[^。！？!?]{0,14}?(?:必要(?:は|が)?(?:ない|ありません|ないです|なし)|不要|結構です|大丈夫です|いらない|いりません|けっこうです)/;
/** Questions about the bot itself ("あなたは人間ですか") and delegating ("担当者に確認してもらえますか") do not match WHO + verb above. */

/** The first request for a person in ja text, 'negated' when every one was declined. */
export function jaHumanRequest(text: string): { index: number; length: number } | 'negated' | undefined {
  let negated = false;
  for (const re of JA_HUMAN_PATTERNS) {
    const m = re.exec(text);
    if (!m) continue;
    if (JA_DECLINED_RE.test(text.slice(m.index, m.index + m[0].length + 16))) {
      negated = true;
      continue;
    }
    return { index: m.index, length: m[0].length };
  }
  if (negated) return 'negated';
  const t = text.trim();
  return JA_BARE_RE.test(t) ? { index: text.indexOf(t), length: t.length } : undefined;
}

/** Problems stated as facts or complaints: never positive in a support chat (the issue 12 classes, in ja). */
const JA_COMPLAINT_RE =
  /届かない|届いていない|届いてない|届きません|まだ届|使えない|使えません|動かない|動きません|できない|できません(?!か)|出来ない|ログインでき|壊れ|破損|遅れて|遅延|遅すぎ|最悪|ひどい|酷い|不満|困って|ふざけ|いい加減|納得(?:でき|いか)|返事がない|返信がない|連絡がない|二重(?:に)?(?:請求|引き落とし)|エラー|不具合|紛失|なくなっ|無くなっ|待たされ|がっかり|残念|迷惑|許せない|ありえない|あり得ない|うんざり|キャンセルされ|欠航|間違った商品|違う商品/;
/** Praise strong enough to be positive; a plain "ありがとう" in a request stays neutral (issue 12: courtesies). */
const JA_POSITIVE_RE = /助かりました|助かります|素晴らしい|すばらしい|最高です|最高でした|嬉しい|うれしい|完璧|解決しました|大満足|感謝しています|とても良かった|感動/;
/** Sarcastic thanks: "待たせてくれてありがとう". */
const JA_SARCASM_RE = /(?:待たせて|なくして|壊して|無視して)くれて(?:ありがとう|どうも)/;

export function jaComplaint(text: string): boolean {
  return JA_COMPLAINT_RE.test(text) || JA_SARCASM_RE.test(text);
}

export function jaPraise(text: string): boolean {
  return JA_POSITIVE_RE.test(text);
}

export interface JaSignalRule {
  id: SentimentSignalId;
  re: RegExp;
  target: 'bot' | 'problem';
}

/** The frustration signals of signals.ts, in ja. */
export const JA_SIGNALS: readonly JaSignalRule[] = [
  { id: 'bot_frustration', target: 'bot', re: /役に立たない|役立たず|話が通じない|話にならない|(?:わかって|分かって|理解して)(?:い)?ない|同じ(?:こと|事|回答|答え|リンク)ばかり|(?:ボット|ロボット|機械)(?:じゃ|では)(?:だめ|ダメ|話にならない|無理)/ },
  { id: 'giving_up', target: 'problem', re: /もういい(?:です|よ)?|もう結構|諦め|あきらめ|どうでもいい/ },
  { id: 'churn_threat', target: 'problem', re: /解約します|解約する|退会します|他社に(?:乗り換え|変え|移り|移ります)|乗り換えます|二度と(?:使わ|利用し|買わ|頼ま)|もう使わない/ },
  { id: 'urgency', target: 'problem', re: /至急|緊急|今すぐ|急ぎ|急いで|早急|すぐに対応/ },
  { id: 'frustration_phrase', target: 'problem', re: /ふざけ|いい加減に|最悪|ひどすぎ|ありえない|あり得ない|何度も|何回も|納得(?:でき|いか)|許せない|うんざり|腹が立|イライラ|いらいら/ },
];

export const JA_PROFANITY_RE = /バカ|馬鹿|アホ|クソ|くそっ|ふざけんな|死ね/;

/** "How do I…" in ja: a how-to question when the model finds no topic. */
export const JA_HOW_TO_RE = /どうやって|どうすれば|どうしたら|方法を教えて|やり方を教えて|手順を教えて/;

/** Topic keywords in ja, matched as substrings (no word boundaries in Japanese). */
export const JA_TOPIC_KEYWORDS: Readonly<Record<string, string[]>> = {
  legal: ['弁護士', '訴訟', '訴え', '法的措置', '裁判', '個人情報保護'],
  billing_dispute: ['二重請求', '二重に請求', '二重引き落とし', '身に覚えのない請求', '不正請求', '不正な請求', '請求に異議'],
  refund: ['返金', '払い戻し', '払戻'],
  billing_payment: ['請求書', '領収書', '支払い', '支払', '決済', '引き落とし', '料金'],
  feedback: ['ご意見', '意見', '感想', 'レビュー', '要望', 'フィードバック'],
  account_management: ['プロフィール', 'ユーザー名', 'メールアドレスの変更', '住所の変更', '登録情報'],
  cancellation: ['解約', 'キャンセル', '退会'],
  account_security: ['パスワード', 'ログインでき', '不正アクセス', '乗っ取', '認証コード', '二段階認証'],
  technical_issue: ['エラー', '不具合', 'バグ', '動かない', '起動しない', '表示されない', 'クラッシュ'],
  shipping_order: ['配送', '荷物', '届かない', '届いていない', '追跡', '発送', '注文した', 'チケット'],
  complaint: ['苦情', 'クレーム'],
};
