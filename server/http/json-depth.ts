/**
 * Bounds how deeply a parsed JSON body nests. JSON.parse is iterative, but JSON.stringify and most consumers
 * recurse, so a 20 KB body of 10,000 nested arrays overflows the stack wherever it is used next. The walk
 * here keeps its own stack, so it cannot overflow on the input it is meant to refuse.
 */
export const MAX_JSON_DEPTH = 32;

interface Frame {
  value: unknown;
  depth: number;
  parent: Frame | undefined;
  key: string | number | undefined;
}

function pathOf(frame: Frame): string {
  const parts: Array<string | number> = [];
  for (let f: Frame | undefined = frame; f && f.key !== undefined; f = f.parent) parts.push(f.key);
  return parts.reverse().reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : p ? `${p}.${k}` : k), '') || '(root)';
}

/** The path (`a.b[0]`) of the first container nested deeper than `limit` levels, or undefined when within it. */
export function findTooDeep(root: unknown, limit = MAX_JSON_DEPTH): string | undefined {
  const stack: Frame[] = [{ value: root, depth: 1, parent: undefined, key: undefined }];
  for (;;) {
    const parent = stack.pop();
    if (!parent) return undefined;
    const v = parent.value;
    if (typeof v !== 'object' || v === null) continue;
    if (parent.depth > limit) return pathOf(parent);
    const depth = parent.depth + 1;
    // Pushed in reverse so the walk (and the path reported) follows document order.
    const entries: Array<[string | number, unknown]> = Array.isArray(v) ? v.map((value: unknown, i) => [i, value]) : Object.entries(v);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, value] = entries[i] as [string | number, unknown];
      stack.push({ value, depth, parent, key });
    }
  }
}
