// Bars and sparklines: what a share and a series look like in a terminal.
import { describe, expect, it } from 'vitest';
import { bar, sparkline } from '../../src/io/charts.js';

describe('bar', () => {
  it('fills in proportion, to an eighth of a cell, and never overflows', () => {
    expect(bar(1, 4)).toBe('████');
    expect(bar(0.5, 4)).toBe('██');
    expect(bar(1 / 32, 4)).toBe('▏');
    expect(bar(0.3, 10)).toBe('███');
    expect(bar(0, 4)).toBe('');
    expect(bar(2, 4)).toBe('████');
    expect(bar(Number.NaN, 4)).toBe('');
  });
});

describe('sparkline', () => {
  it('draws zero lowest, the largest value highest, and a gap for no value', () => {
    expect(sparkline([0, 1, 2, 4, 8])).toBe('▁▃▄▅█');
    expect(sparkline([0, 0])).toBe('▁▁');
    expect(sparkline([5, null, 5])).toBe('█ █');
    expect(sparkline([])).toBe('');
  });
});
