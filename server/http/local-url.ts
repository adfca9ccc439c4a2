/**
 * The URL this process answers on, from its configuration and the port it actually bound (port 0 in tests
 * means "any free port"): never from a request's Host header, which the client chooses.
 */
export function ownBaseUrl(host: string, port: number): string {
  // A wildcard bind answers on loopback too; name loopback rather than the wildcard.
  const h = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}`;
}
