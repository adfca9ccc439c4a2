/**
 * Draws an Intercom Canvas Kit canvas as accessible static HTML, for /preview/intercom: people without an
 * Intercom workspace see the inbox card Baton returns. Components follow Intercom's Canvas Kit reference
 * (https://developers.intercom.com/docs/canvas-kit — text, button, divider, spacer, list, data-table, image,
 * input, textarea, single-select, checkbox). Every value is untrusted: escaped, links and images only for
 * http(s) URLs. Inputs are read-only; a `submit` button is shown disabled (the preview sends no submit). A
 * component this renderer does not know is shown as a visible placeholder, never dropped.
 */
import { escapeHtml as e } from '../../sandbox/kit/escape-html.ts';

type Json = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** http(s) URLs only (no javascript:, data:, relative tricks); undefined otherwise. */
export function safeUrl(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

function link(href: string, label: string): string {
  return `<a href="${e(href)}" target="_blank" rel="noopener noreferrer">${label}</a>`;
}

/**
 * Canvas Kit text supports a little Markdown: **bold**, *italic* / _italic_, [label](url). The text is escaped
 * first; markup is added only around escaped text, and links only for http(s) URLs.
 */
export function markdownToHtml(text: string): string {
  let out = e(text);
  out = out.replace(/\[([^\]\n]{0,500})\]\(([^()\s]{1,2000})\)/g, (whole, label: string, url: string) => {
    // The URL was escaped with the rest; undo only the entity for & before parsing it.
    const href = safeUrl(url.replaceAll('&amp;', '&'));
    return href ? link(href, label) : whole;
  });
  out = out.replace(/\*\*([^*\n]{1,2000})\*\*/g, '<strong>$1</strong>');
  out = out.replace(/(^|[\s(])[*_]([^*_\s](?:[^*_\n]{0,2000}[^*_\s])?)[*_](?=$|[\s).,;:!?])/g, '$1<em>$2</em>');
  return out.replaceAll('\n', '<br>');
}

function label(c: Json, forId: string): string {
  const l = str(c.label);
  return l ? `<label class="label" for="${e(forId)}">${e(l)}</label>` : '';
}

let seq = 0;
function domId(c: Json, kind: string): string {
  return `cv-${kind}-${str(c.id).replace(/[^A-Za-z0-9_-]/g, '') || 'x'}-${++seq}`;
}

function image(url: unknown, alt: unknown, cls: string, w?: unknown, h?: unknown): string {
  const src = safeUrl(url);
  if (!src) return `<span class="${cls} missing" role="img" aria-label="${e(str(alt) || 'image')}"></span>`;
  const size = `${typeof w === 'number' ? ` width="${Math.round(w)}"` : ''}${typeof h === 'number' ? ` height="${Math.round(h)}"` : ''}`;
  return `<img class="${cls}" src="${e(src)}" alt="${e(str(alt))}"${size} referrerpolicy="no-referrer">`;
}

function options(c: Json): Json[] {
  return Array.isArray(c.options) ? (c.options.filter((o) => o && typeof o === 'object') as Json[]) : [];
}

function renderComponent(c: Json): string {
  switch (c.type) {
    case 'text': {
      const style = ['header', 'paragraph', 'muted', 'error'].includes(str(c.style)) ? str(c.style) : 'paragraph';
      const html = markdownToHtml(str(c.text));
      const align = ['left', 'center', 'right'].includes(str(c.align)) ? ` style="text-align:${str(c.align)}"` : '';
      if (style === 'header') return `<h3 class="cv-text header"${align}>${html}</h3>`;
      return `<p class="cv-text ${style}"${align}${style === 'error' ? ' role="alert"' : ''}>${html}</p>`;
    }
    case 'button': {
      const action = (c.action ?? {}) as Json;
      const style = ['primary', 'secondary', 'link'].includes(str(c.style)) ? str(c.style) : 'primary';
      const text = e(str(c.label) || 'Button');
      const href = action.type === 'url' ? safeUrl(action.url) : undefined;
      if (href) return `<a class="cv-button ${style}" role="button" href="${e(href)}" target="_blank" rel="noopener noreferrer">${text}</a>`;
      const why = action.type === 'submit' ? 'Submit actions are not sent from the preview' : `Action "${str(action.type) || 'none'}" is not available in the preview`;
      return `<button type="button" class="cv-button ${style}" disabled title="${e(why)}" data-action="${e(str(action.type))}">${text}</button>`;
    }
    case 'divider':
      return '<hr class="cv-divider">';
    case 'spacer': {
      const size = ['xs', 's', 'm', 'l', 'xl'].includes(str(c.size)) ? str(c.size) : 's';
      return `<div class="cv-spacer ${size}" aria-hidden="true"></div>`;
    }
    case 'list': {
      const items = Array.isArray(c.items) ? (c.items as Json[]) : [];
      const lis = items.map((it) => {
        const title = e(str(it?.title));
        const action = (it?.action ?? {}) as Json;
        const href = action.type === 'url' ? safeUrl(action.url) : undefined;
        const img = it?.image ? image(it.image, '', 'cv-item-image', it.image_width, it.image_height) : '';
        return `<li class="cv-item">${img}<div><div class="cv-item-title">${href ? link(href, title) : title}</div>${it?.subtitle ? `<div class="cv-item-subtitle">${e(str(it.subtitle))}</div>` : ''}${it?.tertiary_text ? `<div class="cv-item-tertiary">${e(str(it.tertiary_text))}</div>` : ''}</div></li>`;
      });
      return `<ul class="cv-list">${lis.join('')}</ul>`;
    }
    case 'data-table': {
      const items = Array.isArray(c.items) ? (c.items as Json[]) : [];
      return `<dl class="cv-data-table">${items.map((it) => `<div class="cv-row"><dt>${e(str(it?.field))}</dt><dd>${e(str(it?.value))}</dd></div>`).join('')}</dl>`;
    }
    case 'image':
      return `<div class="cv-image">${image(c.url, c.alt ?? '', 'cv-img', c.width, c.height)}</div>`;
    case 'input': {
      const id = domId(c, 'input');
      return `<div class="cv-field">${label(c, id)}<input id="${id}" type="text" readonly value="${e(str(c.value))}" placeholder="${e(str(c.placeholder))}"></div>`;
    }
    case 'textarea': {
      const id = domId(c, 'textarea');
      return `<div class="cv-field">${label(c, id)}<textarea id="${id}" readonly rows="5" placeholder="${e(str(c.placeholder))}">${e(str(c.value))}</textarea></div>`;
    }
    case 'single-select':
    case 'checkbox': {
      const multi = c.type === 'checkbox';
      const selected = multi ? (Array.isArray(c.value) ? c.value.map(str) : []) : [str(c.value)];
      const name = domId(c, multi ? 'checkbox' : 'select');
      const opts = options(c)
        .map((o) => `<label class="cv-option"><input type="${multi ? 'checkbox' : 'radio'}" name="${name}" disabled${selected.includes(str(o.id)) ? ' checked' : ''}> ${e(str(o.text))}</label>`)
        .join('');
      return `<fieldset class="cv-choices"><legend>${e(str(c.label))}</legend>${opts}</fieldset>`;
    }
    default:
      return `<div class="cv-unknown" role="note">Component not shown by this preview: <code>${e(str(c.type) || '(no type)')}</code></div>`;
  }
}

/** The canvas's components as HTML (no frame). */
export function renderCanvasComponents(components: unknown): string {
  if (!Array.isArray(components)) return '<div class="cv-unknown" role="note">This canvas has no components.</div>';
  return components.map((c) => (c && typeof c === 'object' ? renderComponent(c as Json) : '<div class="cv-unknown" role="note">Component not shown by this preview: <code>(not an object)</code></div>')).join('\n');
}

export const CANVAS_CSS = `
.card{background:#fff;border:1px solid #e0e0e0;border-radius:8px;padding:12px 16px;font-size:14px}
.cv-text{margin:4px 0}.cv-text.header{font-size:15px;margin:10px 0 4px}.cv-text.muted{color:#737373}.cv-text.error{color:#b3261e}
.cv-button{display:inline-block;margin:4px 6px 4px 0;padding:6px 12px;border-radius:6px;border:1px solid #1f1f1f;background:#1f1f1f;color:#fff;font:inherit;text-decoration:none}
.cv-button.secondary{background:#fff;color:#1f1f1f}.cv-button.link{border:none;background:none;color:#0057ff;padding:0}
.cv-button[disabled]{opacity:.6;cursor:not-allowed}
.cv-divider{border:none;border-top:1px solid #ececec;margin:10px 0}
.cv-spacer.xs{height:4px}.cv-spacer.s{height:8px}.cv-spacer.m{height:16px}.cv-spacer.l{height:24px}.cv-spacer.xl{height:32px}
.cv-list{list-style:none;margin:4px 0;padding:0}.cv-item{display:flex;gap:8px;padding:6px 0;border-bottom:1px solid #f2f2f2}
.cv-item-title{font-weight:600}.cv-item-subtitle{color:#4d4d4d}.cv-item-tertiary{color:#8c8c8c;font-size:12px}
.cv-item-image{width:32px;height:32px;border-radius:4px;object-fit:cover}
.cv-data-table{margin:4px 0}.cv-row{display:flex;gap:8px;padding:3px 0}.cv-row dt{color:#737373;min-width:40%;margin:0}.cv-row dd{margin:0}
.cv-img{max-width:100%}
.cv-field{margin:6px 0}.label{display:block;font-weight:600;margin-bottom:2px}
.cv-field input,.cv-field textarea{width:100%;box-sizing:border-box;font:inherit;border:1px solid #d9d9d9;border-radius:6px;padding:6px}
.cv-choices{border:none;padding:0;margin:6px 0}.cv-choices legend{font-weight:600}.cv-option{display:block}
.cv-unknown{border:1px dashed #b3261e;color:#b3261e;border-radius:6px;padding:6px 8px;margin:6px 0}
`;
