/**
 * Security headers on every response (helmet: nosniff, frame and referrer policy, CSP, COOP/CORP…),
 * configured so the sandbox-mode pages still work: /preview frames the built sidebar from the same origin,
 * and `?sdk=cdn` loads Zendesk's official ZAF SDK from static.zdassets.com. The sidebar API itself is
 * called server-to-server by Zendesk's request proxy, so these headers never get in its way. HSTS stays on:
 * browsers ignore it over plain http (RFC 6797 §8.1), and behind TLS it is what we want.
 */
import helmet from 'helmet';
import type { RequestHandler } from 'express';

export const ZAF_SDK_ORIGIN = 'https://static.zdassets.com';

export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        'script-src': ["'self'", ZAF_SDK_ORIGIN],
        // Garden (styled-components) injects <style> elements at run time.
        'style-src': ["'self'", "'unsafe-inline'"],
        // Sandbox mode is plain http on loopback: upgrading would break every subresource.
        'upgrade-insecure-requests': null,
      },
    },
  });
}
