/**
 * The sandbox's stand-in for Zendesk's app signing key: an RSA key pair made at start-up with node:crypto.
 * Zendesk signs the `token` it POSTs to a signed-URL location with RS256 and publishes the public half at
 * `GET /api/v2/apps/{app_id}/public_key.pem` ("Building a server-side app - Part 5: Securing the app",
 * developer.zendesk.com/documentation/apps/build-an-app/building-a-server-side-app/part-5-secure-the-app/).
 * The sandbox serves that endpoint (create-zendesk-sandbox.ts) and /preview signs its sidebar POST with
 * `signZafToken`, naming the preview's agent, exactly as Zendesk would name the signed-in user.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';

export interface SandboxAppKeys {
  appId: number;
  installationId: number;
  publicKeyPem: string;
  privateKey: KeyObject;
}

export function createSandboxAppKeys(appId: number, installationId: number): SandboxAppKeys {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { appId, installationId, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKey };
}

/** `aud` of a ZAF token: the installation's API URL, naming the account and the installation. */
export function zafAudience(subdomain: string, installationId: number): string {
  return `https://${subdomain}.zendesk.com/api/v2/apps/installations/${installationId}.json`;
}

/** A ZAF signed-URL token as Zendesk makes it: RS256, iss = the account's host, aud = the installation, sub = the user. */
export async function signZafToken(
  keys: SandboxAppKeys,
  opts: { subdomain: string; userId: number; lifetimeSec?: number; now?: number },
): Promise<string> {
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  return new SignJWT({ context: { product: 'support', location: 'ticket_sidebar' } })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .setIssuer(`${opts.subdomain}.zendesk.com`)
    .setAudience(zafAudience(opts.subdomain, keys.installationId))
    .setSubject(String(opts.userId))
    .setIssuedAt(now)
    .setExpirationTime(now + (opts.lifetimeSec ?? 300))
    .sign(keys.privateKey);
}
