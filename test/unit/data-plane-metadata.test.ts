import { describe, expect, it } from 'vitest';
import { parseMetadataHeader } from '../../src/local/pipeline/metadata.js';

describe('parseMetadataHeader', () => {
  it('returns null metadata when the header is absent or blank', () => {
    expect(parseMetadataHeader(undefined)).toBeNull();
    expect(parseMetadataHeader('   ')).toBeNull();
    expect(parseMetadataHeader('{}')).toBeNull();
  });

  it('keeps string, number and boolean values', () => {
    expect(parseMetadataHeader('{"user":"u1","team":7,"beta":true,"ratio":0.5}')).toEqual({
      user: 'u1',
      team: 7,
      beta: true,
      ratio: 0.5,
    });
  });

  it('keeps only the first five entries, in order', () => {
    const metadata = parseMetadataHeader('{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7}');
    expect(metadata).toEqual({ a: 1, b: 2, c: 3, d: 4, e: 5 });
    expect(Object.keys(metadata ?? {})).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it.each([
    ['nested object', '{"a":{"b":1}}'],
    ['array value', '{"a":[1,2]}'],
    ['nested value past the fifth entry', '{"a":1,"b":2,"c":3,"d":4,"e":5,"f":{"g":1}}'],
    ['null value', '{"a":"kept?","b":null}'],
    ['invalid JSON', '{"a":'],
    ['a JSON array', '[1,2]'],
    ['a JSON string', '"text"'],
    ['JSON null', 'null'],
  ])('ignores the whole header for %s', (_name, header) => {
    expect(parseMetadataHeader(header)).toBeNull();
  });
});
