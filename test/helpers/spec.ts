/**
 * "Every request Baton made matched Zendesk's official spec", asserted so that it cannot pass vacuously: the
 * sandbox must have validated with the spec loaded, and at least one call must actually have been checked
 * (a call that was never checked counts as valid).
 */
import { expect } from 'vitest';
import type { SandboxCall, SandboxState } from '../../sandbox/zendesk/types.ts';

/** Returns how many calls were checked against the spec, so a test can assert more if it wants. */
export function expectEveryCallMatchedSpec(sandbox: { state: SandboxState; calls: readonly SandboxCall[] }): number {
  expect(sandbox.state.validation, 'the sandbox validated against the spec').toBe('enabled');
  const checked = sandbox.calls.filter((c) => c.validation.checked);
  expect(checked.length, 'calls checked against the spec').toBeGreaterThan(0);
  const broken = sandbox.calls.filter((c) => !c.valid).map((c) => ({ seq: c.seq, method: c.method, path: c.path, errors: c.validation.errors }));
  expect(broken, 'calls that broke the spec').toEqual([]);
  return checked.length;
}
