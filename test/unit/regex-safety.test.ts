/**
 * Every regular expression that reads customer-controlled text (analysis, redaction, the Zendesk note and
 * tag code) must match in linear time: one super-linear pattern let a 1 MB handoff block the event loop
 * for 96 s. The patterns are ENUMERATED from the source with the TypeScript compiler API (every RegExp
 * literal and every `new RegExp(...)`/`RegExp(...)`), so a new one is checked the day it is written; a
 * pattern whose source cannot be evaluated statically must be listed in DYNAMIC with a checker for what its
 * builder produces. Each pattern goes through recheck (a ReDoS checker), on its pure-JS backend so no JVM
 * or native binary is needed.
 *
 * How a pattern is proven (checkPattern): recheck's exact automaton checker first; where it cannot run
 * (look-around, back-references) or finish, recheck's fuzzer with every wall-clock limit off (it stops on
 * step counts) and a fixed seed, so a verdict does not flip with the machine's load. Every parameter is set
 * explicitly (COMMON). A pattern recheck finds vulnerable, or cannot decide in time, FAILS, with the attack
 * or the reason; there is no todo or allow-list.
 *
 * A full check takes minutes, so patterns already proven are cached in regex-safety.verified.json, keyed by
 * exact `/source/flags`, with the checker that proved each, under a key of recheck's version and the
 * parameters (a change there re-checks everything). A pattern not in the cache is checked live on every run
 * until the cache is updated; a normal run of a cached tree takes seconds.
 *
 *   re-verify everything and rewrite the cache (only proven patterns are written):
 *     REGEX_SAFETY_ALL=1 REGEX_SAFETY_UPDATE=1 npx vitest run test/unit/regex-safety.test.ts
 *   add what a change introduced, keeping the rest:
 *     REGEX_SAFETY_UPDATE=1 npx vitest run test/unit/regex-safety.test.ts
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import ts from 'typescript';
import { check, type Diagnostics, type Parameters } from 'recheck';
import { afterAll, describe, expect, it } from 'vitest';
import { ANY_PATTERN_RE, PATTERNS } from '../../server/analysis/human-request.ts';
import { DEFAULT_TOPIC_KEYWORDS, keywordPattern } from '../../server/analysis/topics.ts';

const ROOT = join(import.meta.dirname, '..', '..');
/** Directories scanned recursively, and directories whose own .ts files are scanned (not sub-folders). */
const DEEP = ['server/analysis', 'server/briefing'];
const SHALLOW = ['server/helpdesks/zendesk', 'server/helpdesks/intercom'];

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
  // The union pre-check is the whole pattern an alternation of PATTERNS with nothing after it: at each start
  // the matcher tries one alternative after the other and each backtracks only inside itself, so the union
  // is linear when every alternative is. The alternatives are checked one by one (the union is too big for
  // recheck's automaton checker and its fuzzer runs out of time on it).
  'server/analysis/human-request.ts|PATTERNS.map((re) => `(?:${re.source})`).join(\'|\')': () => {
    if (ANY_PATTERN_RE.source !== PATTERNS.map((re) => `(?:${re.source})`).join('|') || PATTERNS.some((re) => re.flags !== 'i')) {
      throw new Error('ANY_PATTERN_RE is no longer the plain union of PATTERNS: check it as a whole');
    }
    return [...PATTERNS];
  },
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

/**
 * recheck parameters, all explicit so a verdict does not depend on the machine or its load. The fuzzer's
 * wall-clock limits (incubation, attack, seeding) are off: it stops on its step limits (characters read by
 * its VM), and its PRNG seed is fixed, so the same pattern always gets the same verdict. Only the overall
 * `timeout` is wall-clock, and running out of it FAILS the test (a pattern recheck cannot decide in that time
 * is to be simplified or split, not trusted).
 */
const COMMON = {
  randomSeed: 0,
  incubationTimeout: null,
  attackTimeout: null,
  seedingTimeout: null,
  recallTimeout: -1, // recall validation (re-running the attack with the host engine): off, step limits decide
  incubationLimit: 25_000,
  attackLimit: 1_500_000_000,
  maxAttackStringSize: 300_000,
  maxDegree: 4,
  maxIteration: 10,
  seeder: 'static',
  accelerationMode: 'auto',
} as const satisfies Parameters;
/** The exact automaton checker first; when it cannot run (look-around, back-references) or finish, the fuzzer. */
const AUTOMATON_TIMEOUT_MS = 60_000;
const FUZZ_TIMEOUT_MS = 120_000;
/** Cache key of a verdict: recheck's version and the parameters above; any change re-checks everything. */
const PARAMS_KEY = `recheck ${RECHECK_VERSION} ${JSON.stringify({ ...COMMON, AUTOMATON_TIMEOUT_MS, FUZZ_TIMEOUT_MS })}`;

interface Verified {
  /** PARAMS_KEY of the run that proved these. */
  params: string;
  /** `/source/flags` → the checker that proved it safe. */
  safe: Record<string, 'automaton' | 'fuzz'>;
}
const verified: Verified = existsSync(VERIFIED_FILE) ? (JSON.parse(readFileSync(VERIFIED_FILE, 'utf8')) as Verified) : { params: '', safe: {} };
const known: Record<string, 'automaton' | 'fuzz'> = process.env.REGEX_SAFETY_ALL || verified.params !== PARAMS_KEY ? {} : (verified.safe ?? {});
const keyOf = (p: Pattern): string => `/${p.source}/${p.flags}`;
const provenSafe = new Map<string, 'automaton' | 'fuzz'>();

/**
 * recheck's verdict on a pattern, on its pure-JS backend (the default would start a JVM or a native binary
 * when one is installed): the exact automaton checker, then (only if that one does not support the pattern or
 * runs out of time) the deterministic fuzzer.
 */
async function checkPattern(source: string, flags: string): Promise<Diagnostics> {
  process.env.RECHECK_BACKEND = 'pure';
  // 'd' (match indices) does not change what or how a pattern matches; recheck does not know it.
  const f = flags.replace('d', '');
  const a = await check(source, f, { ...COMMON, checker: 'automaton', timeout: AUTOMATON_TIMEOUT_MS });
  if (a.status !== 'unknown' || (a.error.kind !== 'unsupported' && a.error.kind !== 'timeout')) return a;
  return check(source, f, { ...COMMON, checker: 'fuzz', timeout: FUZZ_TIMEOUT_MS });
}

function explain(p: Pattern, d: Diagnostics): string {
  if (d.status === 'safe') return '';
  if (d.status === 'unknown') {
    const why = d.error.kind === 'timeout' ? `recheck could not decide it within ${FUZZ_TIMEOUT_MS / 1000} s: simplify or split it` : `${d.error.kind}${'message' in d.error ? `: ${d.error.message}` : ''}`;
    return `${p.where}: /${p.source}/${p.flags} is NOT proven linear (${d.checker ?? 'recheck'}: ${why})`;
  }
  const attack = d.attack.string.length > 200 ? `${JSON.stringify(d.attack.string.slice(0, 200))}… (${d.attack.string.length} chars)` : JSON.stringify(d.attack.string);
  return `${p.where}: /${p.source}/${p.flags} is ${d.complexity.summary} (${d.checker}); attack ${d.attack.pattern} e.g. ${attack}`;
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

  it('the checker catches super-linear patterns (exponential and polynomial) and clears a linear one', async () => {
    const exp = await checkPattern('(a|a)*$', '');
    expect(exp.status).toBe('vulnerable');
    expect(exp.status === 'vulnerable' && exp.complexity.type).toBe('exponential');
    expect((await checkPattern('^(\\w+\\s?)*$', '')).status).toBe('vulnerable');
    const poly = await checkPattern('\\s*#\\d+', 'i'); // unanchored leading run: quadratic on a long blank run
    expect(poly.status === 'vulnerable' && poly.complexity.type).toBe('polynomial');
    // A look-ahead sends it to the fuzzer, which must find the same kind of attack.
    expect((await checkPattern('(?=x)?(\\w|\\d)+$', '')).status).toBe('vulnerable');
    expect((await checkPattern('\\b[a-z]{2,8}\\d+\\b', 'i')).status).toBe('safe');
  }, 4 * FUZZ_TIMEOUT_MS);

  it.each([...literal, ...dynamicPatterns].map((p) => [`${p.where} /${p.source.length > 60 ? `${p.source.slice(0, 60)}…` : p.source}/${p.flags}`, p] as const))(
    '%s',
    async (_name, p) => {
      const cached = known[keyOf(p)];
      if (cached) {
        provenSafe.set(keyOf(p), cached);
        return;
      }
      const d = await checkPattern(p.source, p.flags);
      expect(explain(p, d), `re-verify: REGEX_SAFETY_UPDATE=1 npx vitest run ${'test/unit/regex-safety.test.ts'}`).toBe('');
      if (d.status === 'safe') provenSafe.set(keyOf(p), d.checker);
    },
    AUTOMATON_TIMEOUT_MS + FUZZ_TIMEOUT_MS + 10_000,
  );

  afterAll(() => {
    if (!process.env.REGEX_SAFETY_UPDATE) return;
    // Only what this run proved or found proven under the same parameters; a failing pattern is left out.
    const all = [...literal, ...dynamicPatterns].map(keyOf).filter((k) => provenSafe.has(k));
    const safe = Object.fromEntries([...new Set(all)].sort().map((k) => [k, provenSafe.get(k)!]));
    writeFileSync(VERIFIED_FILE, `${JSON.stringify({ params: PARAMS_KEY, safe }, null, 1)}\n`);
  });
});
