import { describe, expect, it } from 'vitest';
import { colorEnabled } from '../../src/io/color.js';
import { IO } from '../../src/io/io.js';
import { fakeStreams } from '../helpers/in-process.js';

describe('colorEnabled', () => {
  it('on in a terminal, off when piped', () => {
    expect(colorEnabled({}, true, false)).toBe(true);
    expect(colorEnabled({}, false, false)).toBe(false);
  });

  it('NO_COLOR (non-empty), CLICOLOR=0, TERM=dumb and --no-color turn it off in a terminal', () => {
    expect(colorEnabled({ NO_COLOR: '1' }, true, false)).toBe(false);
    expect(colorEnabled({ NO_COLOR: '' }, true, false)).toBe(true);
    expect(colorEnabled({ CLICOLOR: '0' }, true, false)).toBe(false);
    expect(colorEnabled({ TERM: 'dumb' }, true, false)).toBe(false);
    expect(colorEnabled({}, true, true)).toBe(false);
  });

  it('CLICOLOR_FORCE / FORCE_COLOR force it on when piped, but lose to NO_COLOR and --no-color', () => {
    expect(colorEnabled({ CLICOLOR_FORCE: '1' }, false, false)).toBe(true);
    expect(colorEnabled({ FORCE_COLOR: '1' }, false, false)).toBe(true);
    expect(colorEnabled({ FORCE_COLOR: '0' }, false, false)).toBe(false);
    expect(colorEnabled({ CLICOLOR_FORCE: '1', CLICOLOR: '0' }, false, false)).toBe(true);
    expect(colorEnabled({ FORCE_COLOR: '1', NO_COLOR: '1' }, false, false)).toBe(false);
    expect(colorEnabled({ FORCE_COLOR: '1' }, true, true)).toBe(false);
  });
});

describe('IO', () => {
  it('colours stdout only when it is a terminal', () => {
    const tty = new IO(fakeStreams({ tty: true }).streams, { env: {} });
    expect(tty.color.red('x')).not.toBe('x');
    const piped = new IO(fakeStreams().streams, { env: {} });
    expect(piped.color.red('x')).toBe('x');
    const noColor = new IO(fakeStreams({ tty: true }).streams, { env: { NO_COLOR: '1' } });
    expect(noColor.color.red('x')).toBe('x');
  });

  it('prompts only with terminals, outside CI, without --no-input', () => {
    expect(new IO(fakeStreams({ tty: true }).streams, { env: {} }).canPrompt).toBe(true);
    expect(new IO(fakeStreams().streams, { env: {} }).canPrompt).toBe(false);
    expect(new IO(fakeStreams({ tty: true }).streams, { env: { CI: 'true' } }).canPrompt).toBe(false);
    expect(new IO(fakeStreams({ tty: true }).streams, { env: { CI: 'false' } }).canPrompt).toBe(true);
    expect(new IO(fakeStreams({ tty: true }).streams, { env: {}, noInput: true }).canPrompt).toBe(false);
  });
});
