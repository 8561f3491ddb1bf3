// Money and durations as people read them in a terminal.

export function formatCost(cost: number | undefined | null): string {
  if (cost === undefined || cost === null) return '';
  if (cost === 0) return '$0';
  // Requests cost fractions of a cent: two significant digits say enough below a cent.
  return cost >= 0.01 ? `$${cost.toFixed(4)}` : `$${smallDecimal(cost)}`;
}

/** Two significant digits in plain decimals: 0.00000004, never JavaScript's 4e-8. */
function smallDecimal(cost: number): string {
  const rounded = Number(cost.toPrecision(2));
  const decimals = Math.min(100, Math.max(0, 1 - Math.floor(Math.log10(Math.abs(rounded)))));
  return rounded
    .toFixed(decimals)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');
}

export function formatMs(ms: number | undefined | null): string {
  if (ms === undefined || ms === null) return '';
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
}
