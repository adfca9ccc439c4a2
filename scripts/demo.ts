/**
 * `npm run demo`: sends the sample handoffs in samples/ to a running sandbox Baton (`npm start`), signed with
 * the demo tenant's secret, waits until each briefing has landed, and prints where to look.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { DEMO_APP_SECRET, DEMO_TENANT_ID, DEMO_WEBHOOK_SECRET } from '../server/config.ts';
import { DEMO_SUBDOMAIN } from '../server/helpdesks/zendesk/zendesk-config.ts';
import { signBatonPayload } from '../server/bots/generic/verify.ts';
import { createHmac, randomUUID } from 'node:crypto';
import { loadConfig } from '../server/config.ts';
import { intercomConfigOf } from '../server/helpdesks/intercom/intercom-config.ts';
import { SEED_CONVERSATION_ID } from '../sandbox/intercom/seed-conversations.ts';
import { PREVIEW_AGENT_ID } from '../sandbox/zendesk/sandbox-agents.ts';
import { sunshineSettingsOf } from '../server/bots/sunshine/settings.ts';
import { SEED_CONVERSATION_ID as SUNSHINE_CONVERSATION_ID } from '../sandbox/sunshine/seed-conversations.ts';
import { DEFAULT_SANDBOX_CREDENTIALS } from '../sandbox/zendesk/index.ts';

const base = (process.env.BATON_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/+$/, '');
const samplesDir = fileURLToPath(new URL('../samples', import.meta.url));

async function sidebarReport(ticketId: number): Promise<{ handoffId: string; report: { summary: { text: string } } } | undefined> {
  const jwt = await new SignJWT({ ticket_id: ticketId })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(DEMO_SUBDOMAIN)
    // As the sidebar's proxy token: the agent in `sub` (checked with the sandbox Zendesk), bound to the ticket.
    .setSubject(String(PREVIEW_AGENT_ID))
    .setIssuedAt()
    .setExpirationTime('2m')
    .sign(new TextEncoder().encode(DEMO_APP_SECRET));
  const res = await fetch(`${base}/v1/tickets/${ticketId}/handoff`, { headers: { Authorization: `Bearer ${jwt}` } });
  return res.ok ? ((await res.json()) as { handoffId: string; report: { summary: { text: string } } }) : undefined;
}

async function main(): Promise<void> {
  try {
    await fetch(`${base}/healthz`);
  } catch {
    console.error(`No Baton at ${base}. Start it first with \`npm start\` (or set BATON_URL).`);
    process.exit(1);
  }
  // A fresh suffix per run, so every run shows new handoffs landing (re-sending the same id is a duplicate).
  const run = Date.now().toString(36);
  for (const file of readdirSync(samplesDir).filter((f) => f.endsWith('.json')).sort()) {
    const sample = JSON.parse(readFileSync(join(samplesDir, file), 'utf8')) as { id: string; ticket?: { id: number } };
    sample.id = `${sample.id}_${run}`;
    const body = JSON.stringify(sample);
    const res = await fetch(`${base}/v1/tenants/${DEMO_TENANT_ID}/handoffs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Baton-Signature': signBatonPayload(DEMO_WEBHOOK_SECRET, body) },
      body,
    });
    const answer = (await res.json()) as { handoffId?: string; status?: string; error?: unknown };
    console.log(`${file}: HTTP ${res.status} ${JSON.stringify(answer)}`);
    if (!res.ok || !answer.handoffId) continue;
    if (sample.ticket) {
      const ticketId = sample.ticket.id;
      for (let i = 0; i < 50; i++) {
        const found = await sidebarReport(ticketId);
        if (found?.handoffId === answer.handoffId) {
          console.log(`  landed on ticket ${ticketId}: ${found.report.summary.text}`);
          console.log(`  note:    ${base}/sandbox/zendesk/tickets/${ticketId}`);
          console.log(`  sidebar: ${base}/preview?ticket=${ticketId}`);
          break;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    } else {
      console.log(`  a new ticket is being created: see ${base}/sandbox/zendesk/`);
    }
  }
  console.log(`\nAll sandbox tickets: ${base}/sandbox/zendesk/`);
  console.log(`Insights dashboard (admins, nav_bar; the demo tenant's seeded figures): ${base}/preview/insights`);
  await intercomHandoff();
  await sunshineHandoff();
}

/**
 * An Intercom handoff, signed as Intercom signs webhooks (`X-Hub-Signature: sha1=<hex HMAC-SHA1(client secret,
 * raw body)>`): a `notification_event` with topic `conversation.admin.assigned` whose item is the sandbox's seeded
 * Fin conversation, read from the sandbox Intercom like Intercom would send it.
 */
async function intercomHandoff(): Promise<void> {
  const demo = loadConfig({ PORT: new URL(base).port || '3000' }).tenants.find((t) => t.id === DEMO_TENANT_ID);
  const intercom = demo && intercomConfigOf(demo);
  if (!intercom) {
    console.log('\nIntercom: the demo tenant has no "intercom" section in the sandbox defaults yet; skipped.');
    return;
  }
  // The running Baton serves the sandbox Intercom under its own address; the config names the default port's.
  const api = `${base}${new URL(intercom.baseUrl).pathname}`.replace(/\/+$/, '');
  const headers = { Authorization: `Bearer ${intercom.accessToken}`, Accept: 'application/json', 'Intercom-Version': '2.14' };
  const read = async (): Promise<{ conversation_parts: { conversation_parts: Array<{ part_type: string }> } } | undefined> => {
    const res = await fetch(`${api}/conversations/${SEED_CONVERSATION_ID}`, { headers });
    return res.ok ? ((await res.json()) as { conversation_parts: { conversation_parts: Array<{ part_type: string }> } }) : undefined;
  };
  const item = await read();
  if (!item) {
    console.log(`\nIntercom: the sandbox conversation ${SEED_CONVERSATION_ID} could not be read at ${api}; skipped.`);
    return;
  }
  const notes = (c: NonNullable<typeof item>): number => c.conversation_parts.conversation_parts.filter((p) => p.part_type === 'note').length;
  const before = notes(item);
  const now = Math.floor(Date.now() / 1000);
  const body = JSON.stringify({
    type: 'notification_event',
    app_id: 'sandbox_workspace',
    id: `notif_${randomUUID()}`,
    topic: 'conversation.admin.assigned',
    delivery_status: 'pending',
    delivery_attempts: 1,
    delivered_at: 0,
    first_sent_at: now,
    created_at: now,
    self: null,
    links: {},
    data: { type: 'notification_event_data', item },
  });
  const signature = `sha1=${createHmac('sha1', intercom.clientSecret).update(body).digest('hex')}`;
  const res = await fetch(`${base}/v1/tenants/${DEMO_TENANT_ID}/bots/intercom`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Hub-Signature': signature }, body });
  console.log(`\nintercom conversation.admin.assigned (${SEED_CONVERSATION_ID}): HTTP ${res.status} ${await res.text()}`);
  for (let i = 0; res.ok && i < 50; i++) {
    const latest = await read();
    if (latest && notes(latest) > before) {
      console.log('  the briefing note landed');
      break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  console.log(`  note: ${api}/conversations/${SEED_CONVERSATION_ID}`);
  console.log(`  card: ${base}/preview/intercom?conversation=${SEED_CONVERSATION_ID}`);
}

/**
 * A Sunshine Conversations handoff in relay mode: the seeded conversation's bot passes control to Baton's
 * switchboard integration (through the sandbox Sunshine API, as the bot would), and Sunshine's
 * `switchboard:passControl` webhook reaches Baton with the shared secret in X-API-Key. Baton analyses, passes control
 * on to the agent workspace with ticket metadata; the sandbox's messaging bridge creates the messaging ticket and
 * sends the ticket-created webhook; Baton writes its note there.
 */
async function sunshineHandoff(): Promise<void> {
  const demo = loadConfig({ PORT: new URL(base).port || '3000' }).tenants.find((t) => t.id === DEMO_TENANT_ID);
  const sc = demo && sunshineSettingsOf(demo);
  if (!sc?.baseUrl) {
    console.log('\nSunshine: the demo tenant has no "bots.sunshine" section; skipped.');
    return;
  }
  const api = `${base}${new URL(sc.baseUrl).pathname}`.replace(/\/+$/, '');
  const conv = `${api}/v2/apps/${sc.appId}/conversations/${SUNSHINE_CONVERSATION_ID}`;
  const headers = { Authorization: `Basic ${Buffer.from(`${sc.keyId}:${sc.keySecret}`).toString('base64')}`, 'Content-Type': 'application/json' };
  const passed = await fetch(`${conv}/passControl`, { method: 'POST', headers, body: JSON.stringify({ switchboardIntegration: sc.switchboardIntegration, metadata: { reason: 'customer asked for a person' } }) });
  const got = passed.ok ? await fetch(conv, { headers }) : undefined;
  if (!got?.ok) {
    console.log(`\nSunshine: the sandbox conversation ${SUNSHINE_CONVERSATION_ID} could not be handed to Baton at ${api}; skipped.`);
    return;
  }
  const { conversation } = (await got.json()) as { conversation: { id: string; activeSwitchboardIntegration: unknown } };
  const body = JSON.stringify({
    app: { id: sc.appId },
    webhook: { id: '5f4eaef81e3dcc117c7ba48a', version: 'v2' },
    events: [{ id: randomUUID().replaceAll('-', '').slice(0, 24), createdAt: new Date().toISOString(), type: 'switchboard:passControl', payload: { conversation: { id: conversation.id, type: 'personal', activeSwitchboardIntegration: conversation.activeSwitchboardIntegration } } }],
  });
  const res = await fetch(`${base}/v1/tenants/${DEMO_TENANT_ID}/bots/sunshine`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-API-Key': sc.webhookSecret }, body });
  const answer = (await res.json()) as { handoffId?: string };
  console.log(`\nsunshine switchboard:passControl (${SUNSHINE_CONVERSATION_ID}, relay mode): HTTP ${res.status} ${JSON.stringify(answer)}`);
  if (!answer.handoffId) return;
  const cred = DEFAULT_SANDBOX_CREDENTIALS as { email: string; apiToken: string };
  const zd = { Authorization: `Basic ${Buffer.from(`${cred.email}/token:${cred.apiToken}`).toString('base64')}` };
  for (let i = 0; i < 50; i++) {
    const list = await fetch(`${base}/sandbox/zendesk/api/v2/tickets.json`, { headers: zd });
    const tickets = list.ok ? ((await list.json()) as { tickets: Array<{ id: number }> }).tickets : [];
    for (const t of tickets.slice(-10)) {
      const found = await sidebarReport(t.id);
      if (found?.handoffId === answer.handoffId) {
        console.log(`  control passed to the agent workspace; the messaging ticket ${t.id} got the note: ${found.report.summary.text}`);
        console.log(`  note:    ${base}/sandbox/zendesk/tickets/${t.id}`);
        console.log(`  sidebar: ${base}/preview?ticket=${t.id}`);
        return;
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  console.log(`  not landed yet: see ${base}/sandbox/zendesk/`);
}

await main();
