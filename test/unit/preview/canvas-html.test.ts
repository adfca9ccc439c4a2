import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { markdownToHtml, renderCanvasComponents, safeUrl } from '../../../app/preview/canvas-html.ts';

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/canvas/every-component.json', import.meta.url), 'utf8')) as { canvas: { content: { components: unknown[] } } };

describe('Canvas Kit renderer (/preview/intercom)', () => {
  const html = renderCanvasComponents(fixture.canvas.content.components);

  it('draws every documented component', () => {
    expect(html).toContain('<h3 class="cv-text header">Handoff briefing</h3>');
    expect(html).toContain('<strong>double charged</strong>');
    expect(html).toContain('<a href="https://help.example.com/articles/duplicate-charges" target="_blank" rel="noopener noreferrer">the article</a>');
    expect(html).toContain('class="cv-text muted"');
    expect(html).toMatch(/class="cv-text error" role="alert"/);
    expect(html).toContain('<hr class="cv-divider">');
    expect(html).toContain('cv-spacer m');
    expect(html).toContain('<dt>Sentiment</dt><dd>Negative, worsening</dd>');
    expect(html).toContain('&quot;get me a person&quot;');
    expect(html).toContain('cv-item-tertiary');
    expect(html).toContain('src="https://static.example.com/banner.png"');
    expect(html).toMatch(/<input id="cv-input-order-\d+" type="text" readonly value="A-10443"/);
    expect(html).toMatch(/<textarea id="cv-textarea-opener-\d+" readonly[^>]*>Hi Maria, I can see you were charged twice…<\/textarea>/);
    expect(html).toMatch(/type="radio" name="[^"]+" disabled checked> High/);
    expect(html).toMatch(/type="checkbox" name="[^"]+" disabled checked> Refund issued/);
    expect(html).toMatch(/type="checkbox" name="[^"]+" disabled> Email sent/);
    expect(html).toMatch(/<button type="button" class="cv-button secondary" disabled title="Submit actions are not sent from the preview" data-action="submit">Yes<\/button>/);
    expect(html).toContain('role="button" href="https://app.intercom.com/a/inbox/x"');
  });

  it('shows an unknown component as a visible placeholder, never drops it', () => {
    expect(html).toContain('Component not shown by this preview: <code>dropdown</code>');
    expect(renderCanvasComponents([42])).toContain('(not an object)');
    expect(renderCanvasComponents(undefined)).toContain('no components');
  });

  it('escapes hostile text and refuses non-http(s) links and images', () => {
    const hostile = renderCanvasComponents([
      { type: 'text', text: '<script>alert(1)</script> [x](javascript:alert(2)) **<img src=x onerror=alert(3)>**' },
      { type: 'list', items: [{ title: '<b>t</b>', action: { type: 'url', url: 'javascript:alert(4)' }, image: 'data:image/svg+xml,<svg onload=alert(5)>' }] },
      { type: 'button', label: '<i>b</i>', action: { type: 'url', url: 'javascript:alert(6)' } },
      { type: 'image', url: 'javascript:alert(7)' },
      { type: 'textarea', value: '</textarea><script>alert(8)</script>' },
      { type: 'input', value: '" onfocus="alert(9)' },
      { type: '<svg onload=alert(10)>' },
    ]);
    expect(hostile).not.toMatch(/<(script|img|svg|b|i)\b/i);
    expect(hostile).not.toContain('javascript:alert(2)"');
    expect(hostile).not.toMatch(/href="javascript:|src="javascript:|src="data:/);
    expect(hostile).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(hostile).toContain('[x](javascript:alert(2))');
    expect(hostile).toContain('&lt;/textarea&gt;&lt;script&gt;');
    expect(hostile).toContain('value="&quot; onfocus=&quot;alert(9)"');
    expect(hostile).toContain('<code>&lt;svg onload=alert(10)&gt;</code>');
  });

  it('markdown: italic and links with query strings, nothing else', () => {
    expect(markdownToHtml('an *important* note')).toBe('an <em>important</em> note');
    expect(markdownToHtml('[q](https://a.example/x?a=1&b=2)')).toBe('<a href="https://a.example/x?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">q</a>');
    expect(markdownToHtml('2 * 3 * 4')).toBe('2 * 3 * 4');
    expect(safeUrl('ftp://x.example/')).toBeUndefined();
  });
});
