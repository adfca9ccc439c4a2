/**
 * Our offline implementation of the checks Zendesk's validator (the public gem
 * zendesk/zendesk_apps_support, lib/zendesk_apps_support/validations/*) applies to an app package, so
 * `npm run validate:app` works without a Zendesk account (`zcli apps:validate` needs one).
 *
 * Each issue names the file and the rule it comes from (the gem's module in brackets).
 */
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

export interface Issue {
  rule: string;
  file?: string;
  message: string;
}

export interface ValidationResult {
  errors: Issue[];
  warnings: Issue[];
}

// manifest/parameter.rb
export const PARAMETER_TYPES = ['text', 'password', 'checkbox', 'url', 'number', 'multiline', 'hidden', 'oauth'] as const;
// app_version.rb (TO_BE_SERVED); new apps must target the current iframe framework.
export const SERVED_FRAMEWORK_VERSIONS = ['0.5', '1.0', '2.0'] as const;
export const REQUIRED_FRAMEWORK_VERSION = '2.0';
// app_requirement.rb
export const REQUIREMENT_TYPES = ['automations', 'channel_integrations', 'custom_objects', 'macros', 'targets', 'views', 'ticket_fields', 'triggers', 'user_fields', 'organization_fields', 'webhooks'] as const;
export const MAX_REQUIREMENTS = 5000;
// validations/translations.rb
export const VALID_LOCALE = /^[a-z]{2}(-\w{2,3})?$/;
export const PUBLIC_APP_TRANSLATION_KEYS = ['name', 'short_description', 'installation_instructions', 'long_description'] as const;
// validations/marketplace.rb
export const WHITELISTED_EXPERIMENTS = ['hashParams', 'newCssCompiler'];
// validations/mime.rb
export const UNSUPPORTED_FILE_TYPES = ['vnd.rar', 'rar', 'zip', 'gzip', 'gz', 'pdf', 'doc', 'docx', 'avi', 'bin', 'bz', 'bz2', 'csh', 'sh', 'jar', 'mp3', 'mpeg', 'odt', 'pptx', 'ppt', 'xls', 'xlsx', '7z', 'exe', 'dll'];
// validations/screenshots.rb
export const MAX_SCREENSHOTS = 3;
export const SCREENSHOT_SIZE = { width: 1024, height: 768 };
// validations/banner.rb and the Marketplace's logo requirements
export const BANNER_SIZES = [{ width: 830, height: 200 }, { width: 1660, height: 400 }];
export const LOGO_SIZES: Record<string, { width: number; height: number }> = {
  'assets/logo.png': { width: 320, height: 320 },
  'assets/logo-small.png': { width: 128, height: 128 },
};
// validations/secure_settings.rb
const SECURABLE_KEYWORDS = /token|key|pwd|password/i;
export const KNOWN_SCOPES = ['header', 'body', 'url', 'jwt_secret_key'];
// validations/secrets.rb (the specific patterns; the gem only warns)
const SECRET_PATTERNS: Array<[string, RegExp]> = [
  ['RSA Private Key', /-----BEGIN RSA PRIVATE KEY-----/],
  ['SSH Private Key (OpenSSH)', /-----BEGIN OPENSSH PRIVATE KEY-----/],
  ['SSH Private Key (DSA)', /-----BEGIN DSA PRIVATE KEY-----/],
  ['SSH Private Key (EC)', /-----BEGIN EC PRIVATE KEY-----/],
  ['PGP Private Key Block', /-----BEGIN PGP PRIVATE KEY BLOCK-----/],
  ['AWS Access Key ID', /AKIA[0-9A-Z]{16}/],
];
// Locations per product (location.rb). v2-only locations are marked.
export const LOCATIONS: Record<string, string[]> = {
  support: [
    'top_bar', 'nav_bar', 'ticket_sidebar', 'new_ticket_sidebar', 'user_sidebar', 'organization_sidebar', 'background', 'modal',
    'ticket_editor', 'system_top_bar', 'help_center', 'knowledge_base_article_sidebar', 'macro_tab_sidebar',
  ],
  chat: ['chat_sidebar', 'background'],
  sell: ['top_bar', 'note_editor', 'call_log_editor', 'email_editor', 'person_card', 'lead_card', 'deal_card', 'background', 'modal', 'dashboard', 'contact_sidebar', 'deal_sidebar', 'lead_sidebar', 'sales_sidebar'],
};
const TICKET_FIELD_TYPES = ['text', 'textarea', 'checkbox', 'date', 'integer', 'decimal', 'regexp', 'partialcreditcard', 'multiselect', 'tagger', 'lookup'];

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function pngSize(buf: Buffer): { width: number; height: number } | undefined {
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (buf.length < 24 || !buf.subarray(0, 8).equals(sig) || buf.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

function listFiles(root: string, dir = root): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    const st = lstatSync(p);
    if (st.isSymbolicLink()) out.push(p);
    else if (st.isDirectory()) out.push(...listFiles(root, p));
    else out.push(p);
  }
  return out;
}

/** Magic bytes of the archive/document types Zendesk refuses (mimemagic in the gem). */
function magicType(buf: Buffer): string | undefined {
  if (buf.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'zip';
  if (buf.subarray(0, 2).equals(Buffer.from([0x1f, 0x8b]))) return 'gzip';
  if (buf.toString('latin1', 0, 5) === '%PDF-') return 'pdf';
  if (buf.toString('latin1', 0, 4) === 'Rar!') return 'rar';
  if (buf.subarray(0, 6).equals(Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]))) return '7z';
  if (buf.subarray(0, 2).toString('latin1') === 'MZ') return 'bin';
  if (buf.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) return 'bin';
  return undefined;
}

function validUrl(u: unknown): boolean {
  if (typeof u !== 'string') return false;
  try {
    const x = new URL(u);
    return x.protocol === 'http:' || x.protocol === 'https:';
  } catch {
    return false;
  }
}

export function validatePackage(dir: string): ValidationResult {
  const errors: Issue[] = [];
  const warnings: Issue[] = [];
  const err = (rule: string, message: string, file?: string) => errors.push({ rule, message, ...(file ? { file } : {}) });
  const warn = (rule: string, message: string, file?: string) => warnings.push({ rule, message, ...(file ? { file } : {}) });

  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    err('package', `${dir} is not a directory. Run "npm run build" first.`);
    return { errors, warnings };
  }
  const files = listFiles(dir).map((p) => relative(dir, p).split(sep).join('/'));
  const has = (p: string) => files.includes(p);
  const read = (p: string) => readFileSync(join(dir, p));

  // --- manifest (validations/manifest.rb) ---
  if (!has('manifest.json')) {
    const nested = files.find((f) => /^[^/]+\/manifest\.json$/.test(f));
    err('manifest', nested ? `manifest.json must be at the package root, found ${nested}` : 'manifest.json is missing', 'manifest.json');
    return { errors, warnings };
  }
  let manifest: Json;
  try {
    const parsed: unknown = JSON.parse(read('manifest.json').toString('utf8'));
    if (!isObj(parsed)) throw new Error('not an object');
    manifest = parsed;
  } catch (e) {
    err('manifest', `manifest.json is not valid JSON: ${(e as Error).message}`, 'manifest.json');
    return { errors, warnings };
  }
  const M = 'manifest.json';
  const requirementsOnly = manifest.requirementsOnly === true;
  const marketingOnly = manifest.marketingOnly === true;
  const isPrivate = manifest.private === undefined ? true : manifest.private === true;

  const missing = ['author', 'defaultLocale'].filter((k) => manifest[k] === undefined || manifest[k] === null);
  if (!requirementsOnly && !marketingOnly) {
    if (manifest.location === undefined) missing.push('location');
    if (manifest.frameworkVersion === undefined) missing.push('frameworkVersion');
  }
  if (missing.length) err('manifest', `missing required key(s): ${missing.join(', ')}`, M);

  for (const k of ['requirementsOnly', 'marketingOnly', 'singleInstall', 'signedUrls', 'private']) {
    if (manifest[k] !== undefined && typeof manifest[k] !== 'boolean') err('manifest', `"${k}" must be true or false (got ${JSON.stringify(manifest[k])})`, M);
  }
  for (const k of ['defaultLocale', 'version', 'frameworkVersion', 'remoteInstallationURL', 'termsConditionsURL', 'googleAnalyticsCode', 'name']) {
    if (manifest[k] !== undefined && typeof manifest[k] !== 'string') err('manifest', `"${k}" must be a string`, M);
  }
  if (manifest.author !== undefined) {
    if (!isObj(manifest.author)) err('manifest', '"author" must be an object with name, email and url', M);
    else {
      for (const k of ['name', 'email', 'url']) if (manifest.author[k] !== undefined && typeof manifest.author[k] !== 'string') err('manifest', `"author.${k}" must be a string`, M);
      for (const k of ['name', 'email']) if (typeof manifest.author[k] !== 'string' || manifest.author[k] === '') err('manifest', `"author.${k}" is required`, M);
      if (manifest.author.url !== undefined && !validUrl(manifest.author.url)) err('manifest', `"author.url" is not a valid URL: ${String(manifest.author.url)}`, M);
    }
  }
  if (manifest.termsConditionsURL !== undefined && !validUrl(manifest.termsConditionsURL)) err('manifest', '"termsConditionsURL" is not a valid URL', M);
  if (manifest.experiments !== undefined && !isObj(manifest.experiments)) err('manifest', '"experiments" must be an object', M);
  if (isObj(manifest.experiments)) {
    for (const [k, v] of Object.entries(manifest.experiments)) if (v && !WHITELISTED_EXPERIMENTS.includes(k)) err('marketplace', `experiment "${k}" is not allowed`, M);
  }
  if (manifest.domainWhitelist !== undefined && !(Array.isArray(manifest.domainWhitelist) && manifest.domainWhitelist.every((d) => typeof d === 'string'))) {
    err('manifest', '"domainWhitelist" must be an array of strings', M);
  }
  if (marketingOnly && isPrivate) err('manifest', 'a marketing-only app cannot be private', M);

  // default locale + translation file
  const defaultLocale = manifest.defaultLocale;
  if (typeof defaultLocale === 'string') {
    if (!VALID_LOCALE.test(defaultLocale)) err('manifest', `defaultLocale "${defaultLocale}" is not a valid locale`, M);
    else if (!has(`translations/${defaultLocale}.json`)) err('manifest', `translations/${defaultLocale}.json is missing (defaultLocale)`, M);
  }

  // parameters
  const params = manifest.parameters;
  if (params !== undefined && !Array.isArray(params)) err('manifest', '"parameters" must be an array', M);
  const paramList: Json[] = Array.isArray(params) ? params.filter(isObj) : [];
  if (Array.isArray(params) && paramList.length !== params.length) err('manifest', 'every parameter must be an object', M);
  if (marketingOnly && paramList.length) err('manifest', 'marketing-only apps take no parameters', M);
  const names = paramList.map((p) => p.name);
  const dups = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  if (dups.length) err('manifest', `duplicate parameter(s): ${dups.join(', ')}`, M);
  let oauthCount = 0;
  for (const p of paramList) {
    const name = typeof p.name === 'string' ? p.name : '(unnamed)';
    if (typeof p.name !== 'string' || p.name === '') err('manifest', 'every parameter needs a "name"', M);
    if (p.name === 'name') err('manifest', 'a parameter cannot be called "name"', M);
    const type = p.type === undefined ? 'text' : p.type;
    if (!PARAMETER_TYPES.includes(type as (typeof PARAMETER_TYPES)[number])) err('manifest', `parameter "${name}": type "${String(type)}" is not one of ${PARAMETER_TYPES.join(', ')}`, M);
    for (const k of ['required', 'secure']) if (p[k] !== undefined && typeof p[k] !== 'boolean') err('manifest', `parameters.${name}.${k} must be true or false`, M);
    if (type === 'hidden' && p.required === true) err('manifest', `parameter "${name}": hidden parameters cannot be required`, M);
    if (type === 'oauth') {
      oauthCount += 1;
      if (p.secure === true) err('manifest', `parameter "${name}": oauth parameters cannot be secure`, M);
    }
    // secure_settings.rb (warnings in Zendesk too)
    if (typeof p.name === 'string' && SECURABLE_KEYWORDS.test(p.name) && (type === 'text' || type === 'password') && p.secure !== true) {
      warn('secure_settings', `parameter "${name}" looks like a credential; make it "secure": true`, M);
    }
    if ('default' in p && (p.secure === true || type === 'hidden')) warn('secure_settings', `parameter "${name}": secure or hidden parameters should not have a default`, M);
    if (p.secure === true) {
      if (!Array.isArray(p.scopes) || p.scopes.length === 0) warn('secure_settings', `secure parameter "${name}" has no "scopes" (e.g. ["jwt_secret_key"] or ["header"])`, M);
      else if (!p.scopes.every((s) => typeof s === 'string')) err('manifest', `parameters.${name}.scopes must be an array of strings`, M);
      else for (const s of p.scopes as string[]) if (!KNOWN_SCOPES.includes(s)) warn('secure_settings', `parameter "${name}": unknown scope "${s}" (known: ${KNOWN_SCOPES.join(', ')})`, M);
    } else if (p.scopes !== undefined) {
      warn('secure_settings', `parameter "${name}" has scopes but is not secure; scopes only apply to secure settings`, M);
    }
  }
  if (oauthCount > 1) err('manifest', 'only one oauth parameter is allowed', M);
  if (isObj(manifest.oauth)) {
    const miss = ['client_id', 'client_secret', 'authorize_uri', 'access_token_uri'].filter((k) => !(manifest.oauth as Json)[k]);
    if (miss.length) err('manifest', `oauth is missing ${miss.join(', ')}`, M);
    if (oauthCount === 0) err('manifest', 'an app with "oauth" needs a parameter of type "oauth"', M);
  }

  // framework version + locations
  const locationUrls: Array<{ product: string; location: string; url: unknown; flexible?: unknown }> = [];
  if (requirementsOnly || marketingOnly) {
    if (manifest.location !== undefined) err('manifest', 'requirements-only and marketing-only apps take no "location"', M);
    if (manifest.frameworkVersion !== undefined) err('manifest', 'requirements-only and marketing-only apps take no "frameworkVersion"', M);
  } else {
    const fv = manifest.frameworkVersion;
    if (typeof fv === 'string' && !SERVED_FRAMEWORK_VERSIONS.includes(fv as (typeof SERVED_FRAMEWORK_VERSIONS)[number])) {
      err('manifest', `frameworkVersion "${fv}" is not served (available: ${SERVED_FRAMEWORK_VERSIONS.join(', ')})`, M);
    } else if (typeof fv === 'string' && fv !== REQUIRED_FRAMEWORK_VERSION) {
      err('manifest', `frameworkVersion must be "${REQUIRED_FRAMEWORK_VERSION}" for a new iframe app (got "${fv}")`, M);
    }
    const loc = manifest.location;
    if (loc !== undefined) {
      if (!isObj(loc)) err('manifest', '"location" must be an object: { "<product>": { "<location>": { "url": "assets/iframe.html" } } }', M);
      else {
        for (const [product, locs] of Object.entries(loc)) {
          const known = LOCATIONS[product];
          if (!known) {
            err('manifest', `unknown host/product "${product}" in location (known: ${Object.keys(LOCATIONS).join(', ')})`, M);
            continue;
          }
          if (!isObj(locs)) {
            err('manifest', `location.${product} must be an object of locations`, M);
            continue;
          }
          const unknown = Object.keys(locs).filter((l) => !known.includes(l));
          if (unknown.length) err('manifest', `invalid ${product} location(s): ${unknown.join(', ')}`, M);
          for (const [name, opts] of Object.entries(locs)) {
            if (typeof opts === 'string') locationUrls.push({ product, location: name, url: opts });
            else if (isObj(opts)) locationUrls.push({ product, location: name, url: opts.url, flexible: opts.flexible });
            else err('manifest', `location.${product}.${name} must be a URL string or an object with "url"`, M);
          }
        }
        if (Object.keys(loc).length === 0) err('manifest', 'missing required key(s): location', M);
      }
    }
    for (const l of locationUrls) {
      const where = `location.${l.product}.${l.location}`;
      if (l.flexible !== undefined && typeof l.flexible !== 'boolean') err('manifest', `${where}.flexible must be true or false`, M);
      if (typeof l.url !== 'string' || l.url === '') {
        // framework v2 apps are iframe-only: every location needs a URL
        err('manifest', `${where} has no url (v2 apps are iframe-only: give e.g. "assets/iframe.html")`, M);
        continue;
      }
      if (l.url.includes('{{setting.')) continue;
      if (/^[a-z][a-z0-9+.-]*:/i.test(l.url)) {
        let u: URL | undefined;
        try {
          u = new URL(l.url);
        } catch {
          u = undefined;
        }
        if (!u || !(u.protocol === 'https:' || u.hostname === 'localhost')) err('manifest', `${where}: "${l.url}" must be https (or localhost)`, M);
      } else {
        const path = l.url.split(/[?#]/)[0] ?? '';
        if (!path.startsWith('assets/')) err('manifest', `${where}: relative url "${l.url}" must start with assets/`, M);
        else if (!has(path)) err('manifest', `${where}: "${l.url}" does not exist in the package`, M);
      }
    }
    if (manifest.noTemplate !== undefined) err('manifest', '"noTemplate" is deprecated in framework v2 (iframe apps have no templates)', M);
  }

  // --- source (validations/source.rb): iframe-only apps ship no app.js / templates / app.css ---
  if (!requirementsOnly && !marketingOnly) {
    const code = files.filter((f) => f === 'app.js' || f === 'app.css' || /^templates\/.+\.hdbs$/.test(f) || /^lib\/.+\.js$/.test(f));
    if (code.length) err('source', `v2 iframe apps must not contain ${code.join(', ')} (put code under assets/)`);
  }

  // --- package.rb: a location or requirements ---
  if (manifest.location === undefined && !has('requirements.json')) err('package', 'the app has neither a location nor requirements.json');

  // --- translations (validations/translations.rb) ---
  for (const f of files.filter((x) => /^translations\/.+\.json$/.test(x))) {
    const locale = f.replace(/^translations\//, '').replace(/\.json$/, '');
    if (!VALID_LOCALE.test(locale) && !/^[a-z]{2}-[A-Z]{2}$/.test(locale)) err('translations', `"${locale}" is not a valid locale file name`, f);
    let json: unknown;
    try {
      json = JSON.parse(read(f).toString('utf8'));
    } catch (e) {
      err('translations', `not valid JSON: ${(e as Error).message}`, f);
      continue;
    }
    if (!isObj(json)) {
      err('translations', 'must be a JSON object', f);
      continue;
    }
    const checkLeaves = (node: unknown, path: string): void => {
      if (typeof node === 'string') return;
      if (isObj(node)) {
        for (const [k, v] of Object.entries(node)) checkLeaves(v, path ? `${path}.${k}` : k);
        return;
      }
      err('translations', `"${path}" must be a string or an object of strings`, f);
    };
    checkLeaves(json, '');
    if (f === 'translations/en.json' || f === `translations/${String(defaultLocale)}.json`) {
      const app = isObj(json.app) ? json.app : {};
      const products = Object.keys(app).filter((k) => k in LOCATIONS);
      const required = isPrivate ? ['name'] : [...PUBLIC_APP_TRANSLATION_KEYS];
      const scopes = products.length ? products.map((p) => [`app.${p}`, isObj(app[p]) ? (app[p] as Json) : {}] as const) : [['app', app] as const];
      for (const [prefix, node] of scopes) {
        const keys = Object.keys(node).map((k) => (k === 'description' ? 'short_description' : k));
        const miss = required.filter((k) => !keys.includes(k) || typeof node[k === 'short_description' && !('short_description' in node) ? 'description' : k] !== 'string');
        if (miss.length) err('translations', `missing required key(s) for a ${isPrivate ? 'private' : 'public'} app: ${miss.map((k) => `${prefix}.${k}`).join(', ')}`, f);
      }
      // Every parameter gets a label (shown to admins on install).
      const paramTr = isObj(app.parameters) ? app.parameters : {};
      for (const p of paramList) {
        if (typeof p.name !== 'string' || p.type === 'hidden') continue;
        const entry = paramTr[p.name];
        if (!isObj(entry) || typeof entry.label !== 'string') err('translations', `parameter "${p.name}" has no app.parameters.${p.name}.label`, f);
      }
    }
  }

  // --- requirements (validations/requirements.rb) ---
  if (has('requirements.json')) {
    const R = 'requirements.json';
    if (marketingOnly) err('requirements', 'marketing-only apps cannot have requirements', R);
    let req: unknown;
    try {
      req = JSON.parse(read(R).toString('utf8'));
    } catch (e) {
      err('requirements', `not valid JSON: ${(e as Error).message}`, R);
      req = undefined;
    }
    if (req !== undefined && !isObj(req)) err('requirements', 'must be a JSON object', R);
    if (isObj(req)) {
      const invalid = Object.keys(req).filter((k) => !REQUIREMENT_TYPES.includes(k as (typeof REQUIREMENT_TYPES)[number]));
      if (invalid.length) err('requirements', `invalid requirement type(s): ${invalid.join(', ')} (allowed: ${REQUIREMENT_TYPES.join(', ')})`, R);
      let count = 0;
      for (const [type, group] of Object.entries(req)) {
        if (type === 'custom_objects') {
          if (!isObj(group)) {
            err('requirements', 'custom_objects must be an object', R);
            continue;
          }
          const schema: Record<string, string[]> = { custom_object_types: ['key', 'schema'], custom_object_relationship_types: ['key', 'source', 'target'] };
          for (const k of Object.keys(group)) if (!(k in schema)) err('requirements', `custom_objects: invalid key "${k}"`, R);
          for (const [k, fields] of Object.entries(schema)) {
            const list = group[k];
            if (list === undefined) continue;
            if (!Array.isArray(list)) err('requirements', `custom_objects.${k} must be an array`, R);
            else
              for (const item of list) {
                const keys = isObj(item) ? Object.keys(item) : [];
                count += 1;
                for (const f2 of fields) if (!keys.includes(f2)) err('requirements', `custom_objects.${k}: missing required field "${f2}"`, R);
                for (const f2 of keys) if (!fields.includes(f2)) err('requirements', `custom_objects.${k}: invalid field "${f2}"`, R);
              }
          }
          continue;
        }
        if (!isObj(group)) {
          err('requirements', `"${type}" must be an object of { "<identifier>": { … } }`, R);
          continue;
        }
        if (type === 'channel_integrations' && Object.keys(group).length > 1) err('requirements', 'only one channel integration is allowed', R);
        for (const [id, def] of Object.entries(group)) {
          count += 1;
          const where = `${type}.${id}`;
          if (!isObj(def)) {
            err('requirements', `${where} must be an object`, R);
            continue;
          }
          if (type === 'channel_integrations') {
            if (!('manifest_url' in def)) err('requirements', `${where}: missing required field "manifest_url"`, R);
            continue;
          }
          // Webhooks are named, not titled (apps_requirements guide: "name", "endpoint", "http_method", …).
          if (type === 'webhooks') {
            for (const f of ['name', 'endpoint', 'http_method', 'request_format', 'subscriptions']) if (!(f in def)) err('requirements', `${where}: missing required field "${f}"`, R);
            continue;
          }
          if (!('title' in def)) err('requirements', `${where}: missing required field "title"`, R);
          if ((type === 'user_fields' || type === 'organization_fields') && !('key' in def)) err('requirements', `${where}: missing required field "key"`, R);
          if (type === 'ticket_fields') {
            if (typeof def.type !== 'string' || !TICKET_FIELD_TYPES.includes(def.type)) err('requirements', `${where}: "type" must be one of ${TICKET_FIELD_TYPES.join(', ')}`, R);
            if (def.type === 'tagger' || def.type === 'multiselect') {
              const opts = def.custom_field_options;
              if (!Array.isArray(opts) || opts.length === 0) err('requirements', `${where}: a ${def.type} field needs "custom_field_options"`, R);
              else
                opts.forEach((o, i) => {
                  if (!isObj(o) || typeof o.name !== 'string' || typeof o.value !== 'string' || o.value === '') err('requirements', `${where}.custom_field_options[${i}] needs string "name" and "value"`, R);
                  else if (/\s/.test(o.value)) err('requirements', `${where}.custom_field_options[${i}].value "${o.value}" must not contain spaces (it becomes a tag)`, R);
                });
            }
          }
          if (type === 'views') {
            const conds = [def.all, def.any].filter((c) => c !== undefined);
            if (conds.length === 0) err('requirements', `${where}: a view needs "all" and/or "any" conditions`, R);
            for (const c of conds) {
              if (!Array.isArray(c) || !c.every((x) => isObj(x) && typeof x.field === 'string' && typeof x.operator === 'string' && 'value' in x)) {
                err('requirements', `${where}: conditions must be arrays of { field, operator, value }`, R);
              }
            }
            if (def.output !== undefined && !(isObj(def.output) && (def.output.columns === undefined || (Array.isArray(def.output.columns) && def.output.columns.every((x) => typeof x === 'string' || typeof x === 'number'))))) {
              err('requirements', `${where}: "output.columns" must be an array of column ids`, R);
            }
          }
        }
      }
      if (count > MAX_REQUIREMENTS) err('requirements', `too many requirements (${count} > ${MAX_REQUIREMENTS})`, R);
    }
  }

  // --- files: symlinks (marketplace.rb), forbidden types (mime.rb), secrets (secrets.rb) ---
  for (const f of files) {
    const full = join(dir, f);
    if (lstatSync(full).isSymbolicLink()) {
      err('marketplace', 'symbolic links are not allowed in the package', f);
      continue;
    }
    const buf = readFileSync(full);
    const ext = extname(f).replace('.', '').toLowerCase();
    const magic = magicType(buf);
    if (UNSUPPORTED_FILE_TYPES.includes(ext) || (magic && UNSUPPORTED_FILE_TYPES.includes(magic))) err('mime', `unsupported file type (${magic ?? ext})`, f);
    if (/\.(js|html|css|json|txt|md|svg)$/i.test(f)) {
      const text = buf.toString('utf8');
      for (const [name, re] of SECRET_PATTERNS) if (re.test(text)) warn('secrets', `looks like it contains a ${name}`, f);
    }
  }

  // --- images: logos, screenshots (screenshots.rb), banner (banner.rb) ---
  if (!requirementsOnly) {
    for (const [path, size] of Object.entries(LOGO_SIZES)) {
      if (!has(path)) {
        (isPrivate ? warn : err)('logos', `${path} is missing (${size.width}×${size.height} PNG)`, path);
        continue;
      }
      const s = pngSize(read(path));
      if (!s) err('logos', 'is not a PNG', path);
      else if (s.width !== size.width || s.height !== size.height) err('logos', `must be ${size.width}×${size.height} (is ${s.width}×${s.height})`, path);
    }
  }
  const shots = files.filter((f) => /^assets\/screenshot-\d\.png$/.test(f));
  if (shots.length > MAX_SCREENSHOTS) err('screenshots', `at most ${MAX_SCREENSHOTS} screenshots (found ${shots.length})`);
  for (const f of shots) {
    const s = pngSize(read(f));
    if (!s || s.width !== SCREENSHOT_SIZE.width || s.height !== SCREENSHOT_SIZE.height) {
      err('screenshots', `must be a ${SCREENSHOT_SIZE.width}×${SCREENSHOT_SIZE.height} PNG${s ? ` (is ${s.width}×${s.height})` : ''}`, f);
    }
  }
  if (!isPrivate && !requirementsOnly && shots.length === 0) warn('screenshots', 'a public app should ship assets/screenshot-1.png (1024×768) for its Marketplace listing');
  if (has('assets/banner.png')) {
    const s = pngSize(read('assets/banner.png'));
    if (!s) err('banner', 'is not a PNG', 'assets/banner.png');
    else if (!BANNER_SIZES.some((b) => b.width === s.width && b.height === s.height)) err('banner', 'must be 830×200 or 1660×400', 'assets/banner.png');
  }

  return { errors, warnings };
}

export function formatIssue(i: Issue): string {
  return `  [${i.rule}]${i.file ? ` ${i.file}:` : ''} ${i.message}`;
}
