import { describe, expect, it } from 'vitest';
import { parseMetadataHeader } from '../../src/local/pipeline/metadata.js';

describe('parseMetadataHeader', () => {
  it('returns null metadata when the header is absent or blank', () => {
    expect(parseMetadataHeader(undefined)).toEqual({ metadata: null });
    expect(parseMetadataHeader('   ')).toEqual({ metadata: null });
    expect(parseMetadataHeader('{}')).toEqual({ metadata: null });
  });

  it('keeps string, number and boolean values', () => {
    expect(parseMetadataHeader('{"user":"u1","team":7,"beta":true,"ratio":0.5}')).toEqual({
      metadata: { user: 'u1', team: 7, beta: true, ratio: 0.5 },
    });
  });

  it('keeps only the first five entries, in order', () => {
    const result = parseMetadataHeader('{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7}');
    expect(result).toEqual({ metadata: { a: 1, b: 2, c: 3, d: 4, e: 5 } });
    if ('metadata' in result) expect(Object.keys(result.metadata ?? {})).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it.each([
    ['nested object', '{"a":{"b":1}}'],
    ['array value', '{"a":[1,2]}'],
    ['null value', '{"a":null}'],
    ['invalid JSON', '{"a":'],
    ['a JSON array', '[1,2]'],
    ['a JSON string', '"text"'],
    ['JSON null', 'null'],
  ])('rejects %s', (_name, header) => {
    const result = parseMetadataHeader(header);
    expect(result).toHaveProperty('error');
    expect((result as { error: string }).error).toMatch(/cf-aig-metadata/);
  });
});
