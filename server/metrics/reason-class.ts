/**
 * A retry or dead-letter reason is free text (it names URLs and ids); as a metric label it must come from a
 * small fixed set, or every distinct reason would be a new time series.
 */
export const REASON_CLASSES = [
  'rate_limited',
  'timeout',
  'network',
  'server_error',
  'client_error',
  'analysis',
  'transcript',
  'bot_platform',
  'no_target',
  'config',
  'shutdown',
  'other',
] as const;

export type ReasonClass = (typeof REASON_CLASSES)[number];

/** Plain substring and 3-digit-status checks only (no backtracking patterns over untrusted text). */
export function reasonClass(reason: string): ReasonClass {
  const r = reason.slice(0, 200).toLowerCase();
  if (r.startsWith('transcript fetch')) return 'transcript';
  if (r.startsWith('bot platform')) return 'bot_platform';
  if (r.startsWith('analysis') || r.includes('analysis failed')) return 'analysis';
  if (r.includes('shutdown')) return 'shutdown';
  if (r.includes('is not configured') || r.includes('no helpdesk module') || r.includes('has no ')) return 'config';
  if (r.includes('cannot create') || r.includes(' object was created') || r.includes('no ticket')) return 'no_target';
  if (r.includes('429') || r.includes('rate limit') || r.includes('rate-limit')) return 'rate_limited';
  if (r.includes('timeout') || r.includes('timed out') || r.includes('etimedout') || r.includes('econnaborted')) return 'timeout';
  if (r.includes('network error') || r.includes('request failed') || r.includes('econn') || r.includes('socket')) return 'network';
  const status = /\b([1-5])\d\d on /.exec(r)?.[1];
  if (status === '5') return 'server_error';
  if (status === '4') return 'client_error';
  return 'other';
}
