/**
 * The Intercom sandbox's human view: an index of conversations and one page per conversation with its parts,
 * notes and tags, so the demo shows where Baton's note landed. Every value is escaped; part bodies (the note
 * HTML Baton writes is untrusted like any other) are rendered only after the allowlist sanitizer. A strict CSP
 * is sent with every page (no script runs).
 */
import { escapeHtml as e } from '../kit/escape-html.ts';
import { sanitizeCommentHtml } from '../kit/sanitize-comment-html.ts';
import type { IntercomConversation, IntercomPart, IntercomSandboxState } from './types.ts';

export const VIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const CSS = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f5f6f7;color:#1a1a1a}
header{background:#1f1f1f;color:#fff;padding:12px 24px}header a{color:#fff;text-decoration:none}
main{max-width:960px;margin:0 auto;padding:16px 24px}
h1{font-size:22px;margin:8px 0 4px}h2{font-size:17px;margin:24px 0 8px}
table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #e6e6e6;vertical-align:top}
.meta{color:#6b6b6b;font-size:13px}
.tag{display:inline-block;background:#e8e8e8;border-radius:4px;padding:0 6px;margin:1px 2px;font-size:12px;font-family:ui-monospace,monospace}
.part{background:#fff;border:1px solid #ddd;border-radius:8px;padding:10px 14px;margin:10px 0}
.part.note{background:#fff8e1;border-color:#f3d48a}.part.bot{background:#eef4ff}.part.event{background:none;border-style:dashed}
.who{font-weight:600}.kind{font-size:12px;border-radius:4px;padding:1px 6px;margin-left:6px;background:#e8e8e8}
.kind.note{background:#ffc94d}
`;

function page(title: string, baseUrl: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(title)}</title><style>${CSS}</style></head>
<body><header><a href="${e(baseUrl)}/">Intercom sandbox</a></header><main>${body}</main></body></html>`;
}

function time(sec: number): string {
  return new Date(sec * 1000).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

function tagsHtml(c: IntercomConversation): string {
  return c.tags.length ? c.tags.map((t) => `<span class="tag">${e(t.name)}</span>`).join(' ') : '<span class="meta">none</span>';
}

export function renderConversationList(state: IntercomSandboxState, baseUrl: string): string {
  const rows = [...state.conversations.values()]
    .map((c) => {
      const contact = state.contacts.get(c.contactIds[0] ?? '');
      const notes = c.parts.filter((p) => p.part_type === 'note').length;
      return `<tr><td><a href="${e(baseUrl)}/conversations/${encodeURIComponent(c.id)}">${e(c.id)}</a></td><td>${e(c.title ?? '')}</td><td>${e(contact?.name ?? contact?.email ?? '')}</td><td>${e(c.state)}</td><td>${notes}</td><td>${tagsHtml(c)}</td></tr>`;
    })
    .join('\n');
  return page(
    'Intercom sandbox',
    baseUrl,
    `<h1>Conversations</h1><p class="meta">A local stand-in for the Intercom REST API (requests validated against ${e(state.specPath.split('/').pop() ?? '')}).</p>
<table><thead><tr><th>id</th><th>title</th><th>contact</th><th>state</th><th>notes</th><th>tags</th></tr></thead><tbody>${rows || '<tr><td colspan="6" class="meta">No conversations.</td></tr>'}</tbody></table>`,
  );
}

function partHtml(p: IntercomPart, kind: string): string {
  const who = `${p.author.name ?? p.author.id} (${p.author.type}${p.author.from_ai_agent ? ', AI agent' : ''})`;
  const cls = p.part_type === 'note' ? 'note' : p.author.type === 'bot' ? 'bot' : p.body ? '' : 'event';
  const assigned = p.assigned_to ? ` <span class="meta">→ ${e(p.assigned_to.type)} ${e(p.assigned_to.id)}</span>` : '';
  const body = p.body ? `<div class="body">${sanitizeCommentHtml(p.body)}</div>` : '';
  return `<article class="part ${cls}" data-part-type="${e(p.part_type)}" id="part-${e(p.id)}"><div><span class="who">${e(who)}</span><span class="kind ${p.part_type === 'note' ? 'note' : ''}">${e(kind)}</span>${assigned} <span class="meta">${e(time(p.created_at))}</span></div>${body}</article>`;
}

export function renderConversationPage(state: IntercomSandboxState, c: IntercomConversation, baseUrl: string): string {
  const contact = state.contacts.get(c.contactIds[0] ?? '');
  const attrs = Object.entries(c.custom_attributes);
  const parts = [partHtml(c.source, 'conversation'), ...c.parts.map((p) => partHtml(p, p.part_type))].join('\n');
  return page(
    `Conversation ${c.id}`,
    baseUrl,
    `<h1>${e(c.title ?? `Conversation ${c.id}`)}</h1>
<p class="meta">#${e(c.id)} · ${e(c.state)} · priority ${e(c.priority)} · contact ${e(contact?.name ?? '')} &lt;${e(contact?.email ?? '')}&gt; (${e(contact?.role ?? '')})${c.ai_agent ? ` · Fin: ${e(c.ai_agent.resolution_state ?? 'n/a')}` : ''}</p>
<h2>Tags</h2><p id="tags">${tagsHtml(c)}</p>
${attrs.length ? `<h2>Conversation data</h2><table id="attributes">${attrs.map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(typeof v === 'string' ? v : JSON.stringify(v))}</td></tr>`).join('')}</table>` : ''}
<h2>Parts</h2>${parts}`,
  );
}

export function renderNotFound(baseUrl: string, message: string): string {
  return page('Not found', baseUrl, `<h1>Not found</h1><p>${e(message)}</p>`);
}
