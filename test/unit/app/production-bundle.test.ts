/**
 * Issue 7, item 10: test hooks stay out of production builds. Builds the real package (Vite, production
 * mode; rebuilt only when stale) and checks that no JavaScript in it exposes `window.__baton`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DIST_DIR, ensureAppBuilt } from '../../../server/http/build-app.ts';

describe('production bundle', () => {
  it('contains no __baton test hook', { timeout: 180_000 }, async () => {
    await ensureAppBuilt({ quiet: true });
    const assets = join(DEFAULT_DIST_DIR, 'assets');
    const files = readdirSync(assets).filter((f) => f.endsWith('.js') || f.endsWith('.html'));
    expect(files.some((f) => f.startsWith('sidebar-'))).toBe(true);
    for (const f of files) expect(readFileSync(join(assets, f), 'utf8'), f).not.toContain('__baton');
  });
});
