/**
 * Short noun phrases for what the bot tried ("the “Reset your password” article", "the password reset
 * email"), used by the summary and the opener so both name attempts the same way.
 */
import type { AttemptedSolution } from '../types/handoff-report.ts';
import { clip } from './text.ts';

const PAST_VERB_RE = /^(?:i(?:'ve| have)?\s+|we(?:'ve| have)?\s+)?(?:just\s+|already\s+)?(?:sent|resent|emailed|issued|created|triggered|generated|opened|submitted|requested|reset|initiated|processed|applied|scheduled|logged|filed)\s+(?:you\s+)?(?:an?\s+|the\s+|your\s+)?/i;

const WORDS: Record<string, { article: string; link: string; steps: string; answer: string; action: string }> = {
  en: { article: 'the “{t}” article', link: 'the link to {t}', steps: 'the steps “{t}”', answer: 'the answer about “{t}”', action: 'the {t}' },
  es: { article: 'el artículo “{t}”', link: 'el enlace a {t}', steps: 'la guía “{t}”', answer: 'la respuesta “{t}”', action: '“{t}”' },
  de: { article: 'der Artikel „{t}“', link: 'der Link zu {t}', steps: 'die Anleitung „{t}“', answer: 'die Antwort „{t}“', action: '„{t}“' },
  fr: { article: 'l’article « {t} »', link: 'le lien vers {t}', steps: 'la procédure « {t} »', answer: 'la réponse « {t} »', action: '« {t} »' },
  pt: { article: 'o artigo “{t}”', link: 'o link para {t}', steps: 'o passo a passo “{t}”', answer: 'a resposta “{t}”', action: '“{t}”' },
  ja: { article: '記事「{t}」', link: '{t} へのリンク', steps: '手順「{t}」', answer: '「{t}」という回答', action: '「{t}」' },
};

function host(url: string): string {
  const m = /^https?:\/\/([^/?#]+)(\/[^?#]*)?/i.exec(url);
  return m ? `${m[1]}${m[2] && m[2] !== '/' ? m[2] : ''}` : url;
}

export function describeSolution(s: AttemptedSolution, lang: string): string {
  const w = WORDS[lang] ?? WORDS.en!;
  switch (s.kind) {
    case 'article':
      return w.article.replace('{t}', clip(s.text, 60));
    case 'link':
      return w.link.replace('{t}', host(s.url ?? s.text));
    case 'steps':
      return w.steps.replace('{t}', clip(s.text.replace(/^(?:please\s+)?(?:try these steps|follow these steps)\W*/i, ''), 50));
    case 'answer':
      return w.answer.replace('{t}', clip(s.text, 50));
    case 'action': {
      // "Sent password reset email" -> "the password reset email" (English only; other locales quote it).
      const obj = s.text.replace(PAST_VERB_RE, '').replace(/(?<!\s)\s+to\s+\S[^\s@]*@\S[^\n\r\u2028\u2029]*$/, '').replace(/(?<![.!])[.!]+$/, '');
      return lang === 'en' ? w.action.replace('{t}', clip(obj, 60)) : w.action.replace('{t}', clip(s.text, 60));
    }
  }
}
