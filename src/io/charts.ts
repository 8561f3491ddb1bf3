// Terminal charts from block characters: a horizontal bar for a share, a sparkline for a series. Plain text,
// so they line up in a table; callers colour them.

const eighths = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar `width` cells long at most, filled in proportion to `fraction` (0..1), to an eighth of a cell. */
export function bar(fraction: number, width: number): string {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const units = Math.round(f * width * 8);
  const full = Math.floor(units / 8);
  return '█'.repeat(full) + eighths[units % 8]!;
}

const levels = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** One character per value: ▁ for zero, ▂ to █ in proportion to the largest, a space for no value. */
export function sparkline(values: readonly (number | null)[]): string {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const max = Math.max(0, ...present);
  return values
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return ' ';
      if (v <= 0 || max === 0) return levels[0];
      return levels[1 + Math.round((v / max) * (levels.length - 2))];
    })
    .join('');
}
