/**
 * The app package carries two locations: the ticket sidebar and the nav_bar "Baton insights" page (its own
 * HTML entry, its icon), and passes the Zendesk app checks; a signed-URL package (BATON_PUBLIC_URL) points both
 * locations at Baton. One real Vite build into a temp dir.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../server/http/build-app.ts';
import { validatePackage } from '../../../scripts/validate-app/rules.ts';
import { staticClosure } from '../../../app/vite.config.ts';

let dist: string;
const prev = process.env.BATON_PUBLIC_URL;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'baton-insights-pkg-'));
  process.env.BATON_PUBLIC_URL = 'https://baton.example.com/';
  try {
    await buildApp({ distDir: dist, quiet: true });
  } finally {
    if (prev === undefined) delete process.env.BATON_PUBLIC_URL;
    else process.env.BATON_PUBLIC_URL = prev;
  }
}, 240_000);

afterAll(() => rmSync(dist, { recursive: true, force: true }));

describe('the app package with the nav_bar location', () => {
  it('has both pages, the nav_bar icon, and passes the app checks', () => {
    for (const f of ['iframe.html', 'insights.html', 'icon_nav_bar.svg']) expect(existsSync(join(dist, 'assets', f)), f).toBe(true);
    const icon = readFileSync(join(dist, 'assets', 'icon_nav_bar.svg'), 'utf8');
    expect(icon).toMatch(/<svg[^>]*viewBox="0 0 18 18"/);
    const insights = readFileSync(join(dist, 'assets', 'insights.html'), 'utf8');
    expect(insights).toMatch(/<script type="module" crossorigin src="\.\/insights-[^"]+\.js"><\/script>/);
    expect(readFileSync(join(dist, 'assets', 'iframe.html'), 'utf8')).not.toMatch(/insights-/);
    expect(validatePackage(dist).errors).toEqual([]);
  });

  it('signed-URL package: the sidebar and the dashboard both open at Baton', () => {
    const m = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as { signedUrls?: boolean; location: { support: Record<string, { url: string }> } };
    expect(m.signedUrls).toBe(true);
    expect(m.location.support.ticket_sidebar?.url).toBe('https://baton.example.com/zendesk/sidebar');
    expect(m.location.support.nav_bar?.url).toBe('https://baton.example.com/zendesk/insights');
  });

  it("a location's start-up chunks are its entry and what it imports, transitively", () => {
    const g = new Map([
      ['insights-a.js', ['shared-b.js', 'runtime.js']],
      ['shared-b.js', ['runtime.js']],
      ['sidebar-c.js', ['shared-b.js']],
      ['lazy.js', []],
    ]);
    expect([...staticClosure(g, 'insights-a.js')].sort()).toEqual(['insights-a.js', 'runtime.js', 'shared-b.js']);
    expect([...staticClosure(g, 'sidebar-c.js')].sort()).toEqual(['runtime.js', 'shared-b.js', 'sidebar-c.js']);
  });
});
