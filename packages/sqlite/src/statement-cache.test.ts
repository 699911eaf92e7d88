import { describe, expect, it } from 'vitest';
import { StatementCache } from './statement-cache';

describe('StatementCache', () => {
  it('evicts the least recently used statement beyond capacity', () => {
    const cache = new StatementCache<string>(2);
    cache.set('a', 'A');
    cache.set('b', 'B');
    expect(cache.get('a')).toBe('A'); // a is now the most recently used
    cache.set('c', 'C');
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('A');
    expect(cache.get('c')).toBe('C');
    expect(cache.size).toBe(2);
  });

  it('clears and rejects a capacity below 1', () => {
    const cache = new StatementCache<number>(1);
    cache.set('x', 1);
    cache.clear();
    expect(cache.get('x')).toBeUndefined();
    expect(() => new StatementCache(0)).toThrow(RangeError);
  });
});
