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

const base = (process.env.BATON_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/+$/, '');
const samplesDir = fileURLToPath(new URL('../samples', import.meta.url));

async function sidebarReport(ticketId: number): Promise<{ handoffId: string; report: { summary: { text: string } } } | undefined> {
  const jwt = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(DEMO_SUBDOMAIN)
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
}

await main();
