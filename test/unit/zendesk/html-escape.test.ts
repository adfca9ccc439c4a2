import { describe, expect, it } from 'vitest';
import { escapeHtml, linkHtml, safeHttpUrl } from '../../../server/helpdesks/zendesk/html-escape.ts';

describe('escapeHtml', () => {
  it('escapes the five HTML specials and the backtick', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\`</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;');
  });

  it('does not double-escape into something a browser would decode back to markup', () => {
    expect(escapeHtml('&lt;script&gt;')).toBe('&amp;lt;script&amp;gt;');
  });

  it('turns null and undefined into an empty string and stringifies numbers', () => {
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(42)).toBe('42');
  });

  it('drops control characters but keeps newlines and tabs', () => {
    expect(escapeHtml('a\u0000b\u0007c\nd\te')).toBe('abc\nd\te');
  });

  it('keeps non-ASCII text as is', () => {
    expect(escapeHtml('Zoë → 東京 🙂')).toBe('Zoë → 東京 🙂');
  });
});

describe('safeHttpUrl', () => {
  it.each(['https://help.example.com/cancel?a=1&b=2', 'http://example.com', 'HTTPS://EXAMPLE.COM/x'])('accepts %s', (u) => {
    expect(safeHttpUrl(u)).toBeDefined();
  });

  it.each([
    'javascript:alert(1)',
    ' javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox',
    '//evil.example.com',
    '/relative/path',
    'https://user:pass@example.com/',
    'http://',
    '',
    undefined,
  ])('rejects %s', (u) => {
    expect(safeHttpUrl(u)).toBeUndefined();
  });
});

describe('linkHtml', () => {
  it('links a safe URL with an escaped href and label', () => {
    expect(linkHtml('https://x.example/?q="><script>', 'a<b')).toBe(
      '<a href="https://x.example/?q=%22%3E%3Cscript%3E" rel="noopener noreferrer" target="_blank">a&lt;b</a>',
    );
  });

  it('renders unsafe URLs as escaped text only', () => {
    expect(linkHtml('javascript:alert("x")')).toBe('javascript:alert(&quot;x&quot;)');
  });
});
