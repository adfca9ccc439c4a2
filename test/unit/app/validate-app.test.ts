import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { deflateSync } from 'node:zlib';
import { buildApp } from '../../../server/http/build-app.ts';
import { pngSize, validatePackage } from '../../../scripts/validate-app/rules.ts';

let root: string;
let good: string;

/** A valid PNG of the given size (single colour). */
function png(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = (crcTable[(c ^ x) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc((width * 3 + 1) * height);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

let n = 0;
/** A copy of the good package with one change applied. */
function broken(change: (dir: string) => void): string {
  const dir = join(root, `case-${++n}`);
  cpSync(good, dir, { recursive: true });
  change(dir);
  return dir;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke arbitrary JSON
const editJson = (dir: string, file: string, f: (j: any) => void) => {
  const p = join(dir, file);
  const j = JSON.parse(readFileSync(p, 'utf8'));
  f(j);
  writeFileSync(p, JSON.stringify(j));
};
const messages = (dir: string) => validatePackage(dir).errors.map((e) => `[${e.rule}] ${e.file ?? ''} ${e.message}`);

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'baton-validate-'));
  good = join(root, 'good');
  await buildApp({ distDir: good, quiet: true });
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('validate:app on the built package', () => {
  it('passes with no errors and no warnings', () => {
    const r = validatePackage(good);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
  });

  it('the CLI exits 0 on the good package and 1 with clear messages on a broken one', () => {
    const ok = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/validate-app.ts', good], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('passes');
    const bad = broken((d) => editJson(d, 'manifest.json', (m) => (m.frameworkVersion = '1.5')));
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/validate-app.ts', bad], { encoding: 'utf8' });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('frameworkVersion "1.5" is not served');
  });
});

describe('validate:app rules', () => {
  it.each<[string, (d: string) => void, RegExp]>([
    ['missing manifest', (d) => unlinkSync(join(d, 'manifest.json')), /manifest\.json is missing/],
    ['manifest not JSON', (d) => writeFileSync(join(d, 'manifest.json'), '{ nope'), /not valid JSON/],
    ['missing author and defaultLocale', (d) => editJson(d, 'manifest.json', (m) => { delete m.author; delete m.defaultLocale; }), /missing required key\(s\): author, defaultLocale/],
    ['framework v1', (d) => editJson(d, 'manifest.json', (m) => (m.frameworkVersion = '1.0')), /frameworkVersion must be "2\.0"/],
    ['missing frameworkVersion', (d) => editJson(d, 'manifest.json', (m) => delete m.frameworkVersion), /missing required key\(s\): frameworkVersion/],
    ['unknown location', (d) => editJson(d, 'manifest.json', (m) => (m.location.support.ticket_sidebars = { url: 'assets/iframe.html' })), /invalid support location\(s\): ticket_sidebars/],
    ['unknown product', (d) => editJson(d, 'manifest.json', (m) => (m.location.zendesk = {})), /unknown host\/product "zendesk"/],
    ['location file missing', (d) => editJson(d, 'manifest.json', (m) => (m.location.support.ticket_sidebar.url = 'assets/nope.html')), /does not exist in the package/],
    ['http location', (d) => editJson(d, 'manifest.json', (m) => (m.location.support.ticket_sidebar.url = 'http://example.com/app')), /must be https/],
    ['bad parameter type', (d) => editJson(d, 'manifest.json', (m) => (m.parameters[0].type = 'email')), /type "email" is not one of/],
    ['duplicate parameter', (d) => editJson(d, 'manifest.json', (m) => m.parameters.push({ ...m.parameters[0] })), /duplicate parameter\(s\): server_url/],
    ['hidden required parameter', (d) => editJson(d, 'manifest.json', (m) => m.parameters.push({ name: 'h', type: 'hidden', required: true })), /hidden parameters cannot be required/],
    ['parameter named name', (d) => editJson(d, 'manifest.json', (m) => m.parameters.push({ name: 'name', type: 'text' })), /cannot be called "name"/],
    ['non-boolean secure', (d) => editJson(d, 'manifest.json', (m) => (m.parameters[1].secure = 'yes')), /shared_secret\.secure must be true or false/],
    ['missing default locale file', (d) => unlinkSync(join(d, 'translations', 'en.json')), /translations\/en\.json is missing/],
    ['public app without long_description', (d) => editJson(d, 'translations/en.json', (t) => delete t.app.long_description), /missing required key\(s\) for a public app: app\.long_description/],
    ['parameter without label', (d) => editJson(d, 'translations/en.json', (t) => delete t.app.parameters.server_url), /no app\.parameters\.server_url\.label/],
    ['bad translation file name', (d) => writeFileSync(join(d, 'translations', 'english.json'), '{}'), /not a valid locale file name/],
    ['requirements: unknown type', (d) => editJson(d, 'requirements.json', (r) => (r.ticket_forms = {})), /invalid requirement type\(s\): ticket_forms/],
    ['requirements: missing title', (d) => editJson(d, 'requirements.json', (r) => delete r.views.baton_bot_handoffs.title), /views\.baton_bot_handoffs: missing required field "title"/],
    ['requirements: tagger without options', (d) => editJson(d, 'requirements.json', (r) => delete r.ticket_fields.baton_sentiment.custom_field_options), /needs "custom_field_options"/],
    ['requirements: bad field type', (d) => editJson(d, 'requirements.json', (r) => (r.ticket_fields.baton_handoff_id.type = 'string')), /"type" must be one of/],
    ['requirements: view without conditions', (d) => editJson(d, 'requirements.json', (r) => delete r.views.baton_bot_handoffs.all), /needs "all" and\/or "any"/],
    ['requirements: user field without key', (d) => editJson(d, 'requirements.json', (r) => (r.user_fields = { f: { title: 'F', type: 'text' } })), /user_fields\.f: missing required field "key"/],
    ['logo wrong size', (d) => writeFileSync(join(d, 'assets', 'logo.png'), png(300, 300)), /must be 320×320 \(is 300×300\)/],
    ['small logo missing', (d) => unlinkSync(join(d, 'assets', 'logo-small.png')), /logo-small\.png is missing/],
    ['screenshot wrong size', (d) => writeFileSync(join(d, 'assets', 'screenshot-1.png'), png(800, 600)), /must be a 1024×768 PNG \(is 800×600\)/],
    ['too many screenshots', (d) => writeFileSync(join(d, 'assets', 'screenshot-4.png'), png(1024, 768)), /at most 3 screenshots/],
    ['forbidden zip by extension', (d) => writeFileSync(join(d, 'assets', 'extra.zip'), 'x'), /unsupported file type \(zip\)/],
    ['forbidden gzip by magic bytes', (d) => writeFileSync(join(d, 'assets', 'data.bin2'), Buffer.from([0x1f, 0x8b, 8, 0])), /unsupported file type \(gzip\)/],
    ['symlink', (d) => symlinkSync(join(d, 'assets', 'iframe.html'), join(d, 'assets', 'link.html')), /symbolic links are not allowed/],
    ['v1 app.js in a v2 app', (d) => writeFileSync(join(d, 'app.js'), '(function(){})()'), /must not contain app\.js/],
    ['noTemplate in v2', (d) => editJson(d, 'manifest.json', (m) => (m.noTemplate = true)), /noTemplate" is deprecated/],
    ['experiment not allowed', (d) => editJson(d, 'manifest.json', (m) => (m.experiments = { superFast: true })), /experiment "superFast" is not allowed/],
  ])('%s', (_name, change, expected) => {
    const errs = messages(broken(change));
    expect(errs.some((e) => expected.test(e)), errs.join('\n')).toBe(true);
  });

  it('warns (like Zendesk) on a secure setting without scopes and on credential-like insecure parameters', () => {
    const d = broken((dir) =>
      editJson(dir, 'manifest.json', (m) => {
        delete m.parameters[1].scopes;
        m.parameters.push({ name: 'api_token', type: 'text' });
      }),
    );
    const { errors, warnings } = validatePackage(d);
    expect(errors.filter((e) => e.rule !== 'translations')).toEqual([]);
    expect(warnings.map((w) => w.message).join('\n')).toMatch(/secure parameter "shared_secret" has no "scopes"/);
    expect(warnings.map((w) => w.message).join('\n')).toMatch(/"api_token" looks like a credential/);
  });

  it('reads PNG sizes from the IHDR chunk', () => {
    expect(pngSize(png(7, 9))).toEqual({ width: 7, height: 9 });
    expect(pngSize(Buffer.from('not a png'))).toBeUndefined();
  });
});
