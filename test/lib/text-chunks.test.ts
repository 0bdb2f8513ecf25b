import { describe, expect, it } from 'vitest';
import { textChunks } from '../../src/lib/text-chunks';

describe('text chunks', () => {
  it('join small pieces into chunks of at least the size, keeping every character in order', () => {
    const pieces = Array.from({ length: 50 }, (_, i) => `piece ${i};`);
    const chunks = [...textChunks(pieces, 40)];
    expect(chunks.join('')).toBe(pieces.join(''));
    expect(chunks.slice(0, -1).every((c) => c.length >= 40)).toBe(true);
    expect(chunks.length).toBeGreaterThan(5);
  });

  it('pass a piece larger than the size on whole, and yield nothing for no text', () => {
    expect([...textChunks(['x'.repeat(100), 'y'], 10)]).toEqual(['x'.repeat(100), 'y']);
    expect([...textChunks([], 10)]).toEqual([]);
    expect([...textChunks(['', ''], 10)]).toEqual([]);
  });
});
