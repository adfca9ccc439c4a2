/**
 * The webhook set-up helper (issue 13): for one tenant, the ready-to-paste webhook URL of every bot platform it
 * can send from, how that route authenticates, and a signed `curl` example. Secrets are never printed here:
 * they are shown once (on create and rotate), so the examples read them from shell variables
 * (`$BATON_WEBHOOK_SECRET` for Baton-Signature). Signature formats: README "Generic webhook" and docs/bots/*.md.
 */
import type { TenantConfig } from '../config.ts';
import { botAdapters } from '../bots/registry.ts';

export interface WebhookSetup {
  platform: string;
  url: string;
  /** How the route checks the sender. */
  auth: string;
  /** A shell snippet that sends a signed test request (secrets from environment variables). */
  curl: string;
}

/** No target: the tenant's default helpdesk (Zendesk creates a ticket for this customer). */
const SAMPLE_BODY =
  '{"id":"evt_setup_test_1","conversation":{"id":"conv_setup_1"},"customer":{"name":"Baton set-up test","email":"setup-test@example.com"},"messages":[{"role":"customer","text":"Testing the Baton webhook: I need a human"}]}';

/** `payload.json` signed with the tenant's webhook secret, the way the generic route checks it. */
const batonSigned = (url: string, body: string): string =>
  [
    `body=${body === '@file' ? '"$(cat payload.json)"' : `'${body}'`}`,
    't=$(date +%s)',
    `sig=$(printf '%s' "$t.$body" | openssl dgst -sha256 -hmac "$BATON_WEBHOOK_SECRET" -hex | sed 's/^.* //')`,
    `curl -s '${url}' -H 'Content-Type: application/json' -H "Baton-Signature: t=$t,v1=$sig" --data-binary "$body"`,
  ].join('\n');

const AUTH: Record<string, { auth: string; curl: (url: string) => string }> = {
  generic: {
    auth: 'Baton-Signature: t=<unix s>,v1=<hex HMAC-SHA256(webhook secret, "<t>.<raw body>")>',
    curl: (url) => batonSigned(url, SAMPLE_BODY),
  },
  sunshine: {
    auth: "X-API-Key: the Sunshine Conversations webhook's secret (bots.sunshine.webhookSecret)",
    curl: (url) => `curl -s '${url}' -H 'Content-Type: application/json' -H "X-API-Key: $SUNSHINE_WEBHOOK_SECRET" --data-binary @payload.json`,
  },
  intercom: {
    auth: "X-Hub-Signature: sha1=<hex HMAC-SHA1(the Intercom app's client secret, raw body)>",
    curl: (url) =>
      [
        'body="$(cat payload.json)"',
        `sig=$(printf '%s' "$body" | openssl dgst -sha1 -hmac "$INTERCOM_CLIENT_SECRET" -hex | sed 's/^.* //')`,
        `curl -s '${url}' -H 'Content-Type: application/json' -H "X-Hub-Signature: sha1=$sig" --data-binary "$body"`,
      ].join('\n'),
  },
};
const TOKEN_OR_SIGNATURE = {
  auth: "Authorization: Bearer <the platform section's token>, or Baton-Signature with the tenant's webhook secret",
  curl: (url: string) => batonSigned(url, '@file'),
};

/** Every platform route this tenant answers (the others answer 401), with its URL under `publicUrl`. */
export function webhookSetup(tenant: TenantConfig, publicUrl: string): WebhookSetup[] {
  const base = publicUrl.replace(/\/+$/, '');
  return botAdapters().flatMap((a) => {
    if (a.settingsOf(tenant) === undefined) return [];
    const url = `${base}${a.path.replace(':tenantId', encodeURIComponent(tenant.id))}`;
    const how = AUTH[a.name] ?? TOKEN_OR_SIGNATURE;
    return [{ platform: a.name, url, auth: how.auth, curl: how.curl(url) }];
  });
}
