// The progress bar: count of total, rate and time left, drawn on stderr only in a terminal, at most ten
// times a second, and erased at the end.
import { describe, expect, it } from 'vitest';
import { IO } from '../../src/io/io.js';
import { Progress } from '../../src/io/progress.js';
import { fakeStreams } from '../helpers/in-process.js';

function setup(tty: boolean) {
  const streams = fakeStreams({ tty });
  const io = new IO(streams.streams, { env: { NO_COLOR: '1' } });
  let now = 0;
  const progress = new Progress(io, 'Exporting prod', () => now);
  return { streams, progress, tick: (ms: number) => (now += ms) };
}

describe('Progress', () => {
  it('says done of total, the rate and the time left', () => {
    const { progress, tick } = setup(true);
    progress.setTotal(1000);
    for (let i = 0; i < 250; i++) progress.advance();
    tick(5000);
    // 250 in 5 s = 50/s; 750 left = 15 s.
    expect(progress.line(5000)).toBe(
      `Exporting prod  ${'█'.repeat(6)}${'░'.repeat(18)}  250/1,000  50/s  0:15 left`,
    );
  });

  it('without a total shows the count and the rate', () => {
    const { progress } = setup(true);
    progress.advance(1234);
    expect(progress.line(2000)).toBe('Exporting prod  1,234  617/s');
  });

  it('redraws at most every 100 ms in a terminal, and erases itself at the end', () => {
    const { streams, progress, tick } = setup(true);
    progress.setTotal(10);
    progress.advance();
    tick(50);
    progress.advance();
    tick(60);
    progress.advance();
    progress.finish();
    const draws = streams
      .stderr()
      .split('\r')
      .filter((s) => s.startsWith('Exporting'));
    expect(draws).toHaveLength(2);
    expect(streams.stderr().endsWith('\r\x1b[K')).toBe(true);
  });

  it('draws nothing when stderr is not a terminal', () => {
    const { streams, progress } = setup(false);
    progress.setTotal(10);
    progress.advance(5);
    progress.finish();
    expect(streams.stderr()).toBe('');
  });
});
