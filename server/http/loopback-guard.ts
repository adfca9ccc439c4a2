/**
 * Sandbox mode answers only requests addressed to this machine by name: a Host header of localhost,
 * 127.0.0.0/8 or [::1]. Binding to loopback (config.ts) keeps other machines out; this keeps out DNS
 * rebinding, where a page on evil.example re-resolves its name to 127.0.0.1 and reads /preview or
 * /sandbox/<helpdesk> from the victim's own browser (its requests still carry Host: evil.example).
 * BATON_ALLOW_PUBLIC_SANDBOX=1 turns it off, with the loud warning main.ts prints.
 */
import type { RequestHandler } from 'express';
import type { Config } from '../config.ts';
import { HttpError } from './errors.ts';

const LOOPBACK_HOST_HEADER = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

/** Host header naming this machine (127.0.0.0/8, localhost, [::1]), with or without a port. */
export function isLoopbackHostHeader(host: string | undefined): boolean {
  return host !== undefined && LOOPBACK_HOST_HEADER.test(host);
}

export function loopbackHostGuard(config: Pick<Config, 'allowPublicSandbox'>): RequestHandler {
  return (req, _res, next) => {
    if (config.allowPublicSandbox || isLoopbackHostHeader(req.get('host'))) return next();
    next(new HttpError('host_not_allowed'));
  };
}
