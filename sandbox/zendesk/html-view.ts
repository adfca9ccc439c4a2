/**
 * The sandbox's human view: what a newcomer opens after `npm run demo` to watch the briefing note land.
 * Plain HTML with inline CSS, no external assets; links are built from the router's mount point
 * (req.baseUrl), so the pages work under /sandbox/zendesk as well as at the root of a test server.
 * Every value is escaped; a comment's html_body is rendered only after the comment allowlist sanitizer.
 */
import { escapeHtml as e } from '../../server/briefing/escape-html.ts';
import { sanitizeCommentHtml } from '../kit/sanitize-comment-html.ts';
import type { SandboxState, SandboxTicket, SandboxUser } from './types.ts';

/** Sent with every view page: nothing but our inline CSS may load or run. */
export const VIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const CSS = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f8f9f9;color:#2f3941}
header{background:#03363d;color:#fff;padding:12px 24px}header a{color:#fff;text-decoration:none}
main{max-width:1120px;margin:0 auto;padding:16px 24px}
h1{font-size:22px;margin:8px 0 4px}h2{font-size:17px;margin:24px 0 8px}
table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #e9ebed;vertical-align:top}
th{font-weight:600;color:#68737d;font-size:13px}
.tag{display:inline-block;background:#e9ebed;border-radius:4px;padding:0 6px;margin:1px 2px;font-size:12px;font-family:ui-monospace,monospace}
.tag.baton{background:#d1e8df}
.meta{color:#68737d;font-size:13px}
.comment{background:#fff;border:1px solid #d8dcde;border-radius:6px;padding:12px 16px;margin:12px 0}
.comment.note{background:#fff6e5;border-color:#f5d6a3}
.badge{font-size:12px;font-weight:600;border-radius:4px;padding:1px 6px;margin-left:6px}
.badge.note{background:#ffb057;color:#3d2200}.badge.public{background:#d1e8df;color:#0b3b29}
.body blockquote{border-left:3px solid #c2c8cc;margin:8px 0;padding:2px 12px;color:#49545c}
.body h3{font-size:15px;margin:16px 0 4px}
.empty{color:#68737d;font-style:italic}
.nowrap{white-space:nowrap}
.subject{min-width:14em}.tags{max-width:19em}
footer{max-width:1120px;margin:24px auto;padding:0 24px;color:#68737d;font-size:12px}
`;

function page(title: string, baseUrl: string, body: string, opts: { refreshSec?: number } = {}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${opts.refreshSec ? `<meta http-equiv="refresh" content="${opts.refreshSec}">\n` : ''}<title>${e(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><a href="${e(baseUrl)}/"><strong>Zendesk sandbox</strong></a> · Baton</header>
<main>
${body}
</main>
<footer>Local stand-in for the Zendesk Support API, for demos and tests. Nothing here reaches Zendesk.</footer>
</body>
</html>`;
}

function tagsHtml(tags: string[]): string {
  if (!tags.length) return '<span class="empty">none</span>';
  return tags.map((t) => `<span class="tag${t.startsWith('baton_') ? ' baton' : ''}">${e(t)}</span>`).join(' ');
}

function userLabel(user: SandboxUser | undefined, id: number): string {
  return user ? `${e(user.name)} &lt;${e(user.email)}&gt;` : `user ${e(id)}`;
}

function requesterCell(user: SandboxUser | undefined, id: number): string {
  return user ? `${e(user.name)}<br><span class="meta">${e(user.email)}</span>` : `user ${e(id)}`;
}

function when(iso: string): string {
  return e(iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'));
}

/** Tickets, most recently updated first (so the ticket a handoff just wrote to is on top), with their tags. */
export function renderTicketListPage(state: SandboxState, baseUrl: string, apiBase: string): string {
  const tickets = [...state.tickets.values()].sort((a, b) => (a.updated_at === b.updated_at ? b.id - a.id : a.updated_at < b.updated_at ? 1 : -1));
  const rows = tickets
    .map((t) => {
      const notes = t.comments.filter((c) => !c.public).length;
      return `<tr>
<td class="nowrap"><a href="${e(baseUrl)}/tickets/${e(t.id)}">#${e(t.id)}</a></td>
<td class="subject"><a href="${e(baseUrl)}/tickets/${e(t.id)}">${e(t.subject)}</a><br><span class="meta">${e(t.comments.length)} comment${t.comments.length === 1 ? '' : 's'}${notes ? ` · ${e(notes)} internal note${notes === 1 ? '' : 's'}` : ''}</span></td>
<td>${requesterCell(state.users.get(t.requester_id), t.requester_id)}</td>
<td>${e(t.status)}</td>
<td>${t.priority ? e(t.priority) : '<span class="empty">–</span>'}</td>
<td class="tags">${tagsHtml(t.tags)}</td>
<td class="meta">${when(t.updated_at)}</td>
</tr>`;
    })
    .join('\n');
  const body = `<h1>Tickets</h1>
<p class="meta">${e(tickets.length)} tickets · most recently updated first · this page refreshes every 5 seconds · API base URL <code>${e(apiBase)}</code></p>
<div style="overflow-x:auto">
<table>
<thead><tr><th>ID</th><th>Subject</th><th>Requester</th><th>Status</th><th>Priority</th><th>Tags</th><th>Updated</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="7" class="empty">No tickets yet.</td></tr>'}
</tbody>
</table>
</div>`;
  return page('Zendesk sandbox · tickets', baseUrl, body, { refreshSec: 5 });
}

function fieldTitle(state: SandboxState, id: number): string {
  const title = state.ticketFields.find((f) => f.id === id)?.title;
  return title ? `${title} (${id})` : String(id);
}

/** One ticket: fields, tags and every comment (internal notes marked as such, their HTML rendered). */
export function renderTicketPage(state: SandboxState, ticket: SandboxTicket, baseUrl: string): string {
  const requester = state.users.get(ticket.requester_id);
  const fields = ticket.custom_fields.length
    ? `<table><thead><tr><th>Field</th><th>Value</th></tr></thead><tbody>
${ticket.custom_fields.map((f) => `<tr><td>${e(fieldTitle(state, f.id))}</td><td>${e(Array.isArray(f.value) ? f.value.join(', ') : f.value === null ? '' : f.value)}</td></tr>`).join('\n')}
</tbody></table>`
    : '<p class="empty">No custom field values.</p>';
  const comments = ticket.comments
    .map((c) => {
      const author = state.users.get(c.author_id);
      const badge = c.public ? '<span class="badge public">Public reply</span>' : '<span class="badge note">Internal note</span>';
      const content = c.public ? `<p>${e(c.plain_body).replace(/\r\n|\r|\n/g, '<br>')}</p>` : sanitizeCommentHtml(c.html_body);
      return `<section class="comment${c.public ? '' : ' note'}" id="comment-${e(c.id)}">
<div class="meta"><strong>${author ? e(author.name) : `user ${e(c.author_id)}`}</strong>${badge} · ${when(c.created_at)} · comment ${e(c.id)}</div>
<div class="body">${content}</div>
</section>`;
    })
    .join('\n');
  const body = `<p class="meta"><a href="${e(baseUrl)}/">← all tickets</a></p>
<h1>${e(ticket.subject)} <span class="meta">#${e(ticket.id)}</span></h1>
<table>
<tbody>
<tr><th>Requester</th><td>${userLabel(requester, ticket.requester_id)}</td></tr>
<tr><th>Status</th><td>${e(ticket.status)}</td></tr>
<tr><th>Priority</th><td>${ticket.priority ? e(ticket.priority) : '<span class="empty">not set</span>'}</td></tr>
<tr><th>Group</th><td>${ticket.group_id !== null ? e(ticket.group_id) : '<span class="empty">not set</span>'}</td></tr>
<tr><th>Tags</th><td>${tagsHtml(ticket.tags)}</td></tr>
<tr><th>Created</th><td>${when(ticket.created_at)}</td></tr>
<tr><th>Updated</th><td>${when(ticket.updated_at)}</td></tr>
</tbody>
</table>
<h2>Custom fields</h2>
${fields}
<h2>Conversation (${e(ticket.comments.length)})</h2>
${comments || '<p class="empty">No comments.</p>'}`;
  return page(`#${ticket.id} ${ticket.subject}`, baseUrl, body);
}

export function renderNotFoundPage(baseUrl: string, what: string): string {
  return page('Not found', baseUrl, `<h1>Not found</h1><p>${e(what)}</p><p><a href="${e(baseUrl)}/">← all tickets</a></p>`);
}
