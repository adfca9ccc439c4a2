import { describe, expect, it } from 'vitest';
import { findTooDeep } from '../../../server/http/json-depth.ts';

describe('findTooDeep', () => {
  it('accepts values within the limit', () => {
    expect(findTooDeep({ a: [{ b: 1 }] }, 3)).toBeUndefined();
    expect(findTooDeep('str', 1)).toBeUndefined();
    expect(findTooDeep(null, 1)).toBeUndefined();
  });

  it('names the path of the first container past the limit', () => {
    expect(findTooDeep({ a: [{ b: 1 }] }, 2)).toBe('a[0]');
    expect(findTooDeep({ ok: 1, messages: [{ text: 'x' }, { bot: { x: [[]] } }] }, 4)).toBe('messages[1].bot.x');
    expect(findTooDeep([[]], 1)).toBe('[0]');
    expect(findTooDeep({}, 0)).toBe('(root)');
  });

  it('walks 200,000 levels without overflowing the stack', () => {
    const deep = JSON.parse('['.repeat(200_000) + ']'.repeat(200_000)) as unknown;
    expect(findTooDeep({ extra: deep }, 32)).toBe(`extra${'[0]'.repeat(31)}`);
  });
});
