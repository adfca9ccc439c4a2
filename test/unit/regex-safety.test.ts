/**
 * Every regular expression that reads customer-controlled text (analysis, redaction, the Zendesk note and
 * tag code) must match in linear time: one super-linear pattern let a 1 MB handoff block the event loop
 * for 96 s. The patterns are ENUMERATED from the source with the TypeScript compiler API (every RegExp
 * literal and every `new RegExp(...)`/`RegExp(...)`), so a new one is checked the day it is written; a
 * pattern whose source cannot be evaluated statically must be listed in DYNAMIC with a checker for what its
 * builder produces. Each pattern goes through recheck (a ReDoS checker), on its pure-JS backend so no JVM
 * or native binary is needed.
 *
 * recheck's fuzzer takes seconds per large pattern (minutes for all), so patterns already proven safe are
 * listed, by exact flags and source and with the recheck version, in regex-safety.verified.json: only new
 * or changed patterns are checked on a normal run. Re-verify everything with REGEX_SAFETY_ALL=1; rewrite
 * the list (after fixing what fails) with REGEX_SAFETY_UPDATE=1.
 *
 * Its `flagged` map holds the patterns recheck has NOT cleared yet, each with recheck's finding: reported
 * as todo (visible in every run), never as passing, and a pattern that is neither verified nor flagged is
 * checked live. Several findings are fuzzer verdicts on patterns V8 runs in linear time (timed on the
 * attack strings); others are real and still to fix. Emptying this map is the open work.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import ts from 'typescript';
import { check, type Diagnostics } from 'recheck';
import { afterAll, describe, expect, it } from 'vitest';
import { ANY_PATTERN_RE } from '../../server/analysis/human-request.ts';
import { DEFAULT_TOPIC_KEYWORDS, keywordPattern } from '../../server/analysis/topics.ts';

const ROOT = join(import.meta.dirname, '..', '..');
/** Directories scanned recursively, and directories whose own .ts files are scanned (not sub-folders). */
const DEEP = ['server/analysis'];
const SHALLOW = ['server/helpdesks/zendesk'];

interface Pattern {
  where: string;
  source: string;
  flags: string;
}

interface DynamicSite {
  where: string;
  file: string;
  code: string;
}

function tsFiles(dir: string, deep: boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir)).sort()) {
    const rel = `${dir}/${name}`;
    if (statSync(join(ROOT, rel)).isDirectory()) {
      if (deep) out.push(...tsFiles(rel, deep));
    } else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/** Evaluates a pattern-source expression built only from string constants; undefined when it is dynamic. */
function evalString(node: ts.Expression, consts: Map<string, ts.Expression>, depth = 0): string | undefined {
  if (depth > 20) return undefined;
  const ev = (n: ts.Expression): string | undefined => evalString(n, consts, depth + 1);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isParenthesizedExpression(node)) return ev(node.expression);
  if (ts.isIdentifier(node)) {
    const init = consts.get(node.text);
    return init ? ev(init) : undefined;
  }
  if (ts.isTemplateExpression(node)) {
    let s = node.head.text;
    for (const span of node.templateSpans) {
      const v = ev(span.expression);
      if (v === undefined) return undefined;
      s += v + span.literal.text;
    }
    return s;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const a = ev(node.left);
    const b = ev(node.right);
    return a === undefined || b === undefined ? undefined : a + b;
  }
  // [ 'a', 'b' ].join('|')
  if (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === 'join' &&
    ts.isArrayLiteralExpression(node.expression.expression)
  ) {
    const sep = node.arguments[0] ? ev(node.arguments[0]) : ',';
    const parts = node.expression.expression.elements.map((e) => ev(e));
    if (sep === undefined || parts.some((p) => p === undefined)) return undefined;
    return parts.join(sep);
  }
  return undefined;
}

function scan(file: string): { patterns: Pattern[]; dynamic: DynamicSite[] } {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const consts = new Map<string, ts.Expression>();
  const patterns: Pattern[] = [];
  const dynamic: DynamicSite[] = [];
  const where = (n: ts.Node): string => `${file}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`;
  const collectConsts = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && ts.getCombinedNodeFlags(n) & ts.NodeFlags.Const) {
      consts.set(n.name.text, n.initializer);
    }
    ts.forEachChild(n, collectConsts);
  };
  collectConsts(sf);
  const visit = (n: ts.Node): void => {
    if (ts.isRegularExpressionLiteral(n)) {
      const lit = n.text;
      const end = lit.lastIndexOf('/');
      patterns.push({ where: where(n), source: lit.slice(1, end), flags: lit.slice(end + 1) });
    } else if ((ts.isNewExpression(n) || ts.isCallExpression(n)) && ts.isIdentifier(n.expression) && n.expression.text === 'RegExp') {
      const [src, fl] = n.arguments ?? [];
      const source = src ? evalString(src, consts) : '';
      const flags = fl ? evalString(fl, consts) : '';
      if (source === undefined || flags === undefined) dynamic.push({ where: where(n), file, code: src!.getText(sf) });
      else patterns.push({ where: where(n), source, flags });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return { patterns, dynamic };
}

/**
 * Patterns built at run time, keyed by file and the builder expression. Each entry returns what the builder
 * produces (for lexicon-built patterns, for every built-in lexicon entry and a few hostile keywords).
 */
const DYNAMIC: Record<string, () => RegExp[]> = {
  'server/analysis/human-request.ts|PATTERNS.map((re) => `(?:${re.source})`).join(\'|\')': () => [ANY_PATTERN_RE],
  'server/analysis/topics.ts|`(?:^|[^\\\\p{L}\\\\p{N}])${k}`': () =>
    [...Object.values(DEFAULT_TOPIC_KEYWORDS).flat(), 'a+b', '(.*)*', 'x{1,9}y', 'refund ref'].map((k) => keywordPattern(k).re),
};

const files = [...DEEP.flatMap((d) => tsFiles(d, true)), ...SHALLOW.flatMap((d) => tsFiles(d, false))];
const scanned = files.map(scan);
const literal = scanned.flatMap((s) => s.patterns);
const dynamicSites = scanned.flatMap((s) => s.dynamic);
const dynamicPatterns: Pattern[] = dynamicSites.flatMap((site) => {
  const build = DYNAMIC[`${site.file}|${site.code}`];
  return build ? build().map((re) => ({ where: `${site.where} (built)`, source: re.source, flags: re.flags })) : [];
});

const RECHECK_VERSION = (createRequire(import.meta.url)('recheck/package.json') as { version: string }).version;
const VERIFIED_FILE = join(import.meta.dirname, 'regex-safety.verified.json');
interface Verified {
  recheck: string;
  safe: string[];
  flagged?: Record<string, string>;
}
const verified: Verified = existsSync(VERIFIED_FILE) ? (JSON.parse(readFileSync(VERIFIED_FILE, 'utf8')) as Verified) : { recheck: '', safe: [] };
const known = new Set(process.env.REGEX_SAFETY_ALL || verified.recheck !== RECHECK_VERSION ? [] : verified.safe);
const keyOf = (p: Pattern): string => `/${p.source}/${p.flags}`;
const flagged = verified.flagged ?? {};
const provenSafe = new Set<string>();

/** The pure-JS backend (the default would start a JVM or a native binary when one is installed). */
async function checkPure(p: Pattern): Promise<Diagnostics> {
  process.env.RECHECK_BACKEND = 'pure';
  // 'd' (match indices) does not change what or how a pattern matches; recheck does not know it.
  const flags = p.flags.replace('d', '');
  const d = await check(p.source, flags, { timeout: 60_000, randomSeed: 1 });
  // The automaton checker can run out of time on big alternations; the fuzzer then decides.
  if (d.status === 'unknown' && d.error.kind === 'timeout') return check(p.source, flags, { timeout: 60_000, randomSeed: 1, checker: 'fuzz' });
  return d;
}

function explain(p: Pattern, d: Diagnostics): string {
  if (d.status === 'safe') return '';
  if (d.status === 'unknown') return `${p.where}: /${p.source}/${p.flags} could not be checked (${d.error.kind}${'message' in d.error ? `: ${d.error.message}` : ''})`;
  const attack = d.attack.string.length > 200 ? `${JSON.stringify(d.attack.string.slice(0, 200))}… (${d.attack.string.length} chars)` : JSON.stringify(d.attack.string);
  return `${p.where}: /${p.source}/${p.flags} is ${d.complexity.summary}; attack ${d.attack.pattern} e.g. ${attack}`;
}

describe('regular expressions on customer text are linear-time', () => {
  it('the inventory finds the patterns (sanity: the scanner is not silently empty)', () => {
    expect(files).toContain('server/analysis/facts.ts');
    expect(files).toContain('server/helpdesks/zendesk/render-note.ts');
    expect(literal.length).toBeGreaterThan(50);
    expect(literal.some((p) => p.where.startsWith('server/analysis/facts.ts') && p.source.includes('@'))).toBe(true);
  });

  it('every RegExp built from a non-constant source has a checker in DYNAMIC', () => {
    const unknown = dynamicSites.filter((s) => !DYNAMIC[`${s.file}|${s.code}`]).map((s) => `${s.where}: new RegExp(${s.code})`);
    expect(unknown, 'add these to DYNAMIC in test/unit/regex-safety.test.ts').toEqual([]);
    const stale = Object.keys(DYNAMIC).filter((k) => !dynamicSites.some((s) => `${s.file}|${s.code}` === k));
    expect(stale, 'DYNAMIC entries that no longer match a RegExp call').toEqual([]);
  });

  for (const [key, finding] of Object.entries(flagged)) it.todo(`not yet cleared by recheck: ${finding} ${key.slice(0, 80)}`);

  it.each([...literal, ...dynamicPatterns].filter((p) => !(keyOf(p) in flagged)).map((p) => [`${p.where} /${p.source.length > 60 ? `${p.source.slice(0, 60)}…` : p.source}/${p.flags}`, p] as const))(
    '%s',
    async (_name, p) => {
      if (known.has(keyOf(p))) return;
      const d = await checkPure(p);
      expect(explain(p, d)).toBe('');
      provenSafe.add(keyOf(p));
    },
  );

  afterAll(() => {
    if (!process.env.REGEX_SAFETY_UPDATE) return;
    const all = [...literal, ...dynamicPatterns].map(keyOf).filter((k) => known.has(k) || provenSafe.has(k));
    writeFileSync(VERIFIED_FILE, `${JSON.stringify({ recheck: RECHECK_VERSION, safe: [...new Set(all)].sort(), flagged }, null, 1)}\n`);
  });
});
