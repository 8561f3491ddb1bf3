import { describe, expect, it } from 'vitest';
import { formatCost } from '../../src/io/numbers.js';

describe('formatCost', () => {
  it('prints a cost below a cent in plain decimals with two significant digits, never as 4e-8', () => {
    expect(formatCost(4e-8)).toBe('$0.00000004');
    expect(formatCost(1.5e-9)).toBe('$0.0000000015');
    expect(formatCost(0.0000037499999999999997)).toBe('$0.0000037');
    expect(formatCost(0.0099999)).toBe('$0.01');
  });

  it('keeps four decimals from a cent up, $0 for nothing and nothing for no cost', () => {
    expect(formatCost(0.0123)).toBe('$0.0123');
    expect(formatCost(2.5)).toBe('$2.5000');
    expect(formatCost(0)).toBe('$0');
    expect(formatCost(null)).toBe('');
  });
});
