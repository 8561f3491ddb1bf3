import { describe, expect, it } from 'vitest';
import { IO } from '../../src/io/io.js';
import {
  type Column,
  relativeTime,
  renderJson,
  renderJsonLine,
  renderList,
  renderObject,
} from '../../src/io/render.js';
import { fakeStreams } from '../helpers/in-process.js';

interface Row {
  id: string;
  created: string;
  cached: boolean;
  note?: string;
}

const rows: Row[] = [
  { id: 'alpha', created: '2026-01-01T10:00:00+02:00', cached: true },
  { id: 'beta-gateway', created: '2026-01-02T00:00:00Z', cached: false, note: 'tab-free' },
];
const columns: Column<Row>[] = [
  { header: 'ID', value: (r) => r.id },
  { header: 'CREATED', value: (r) => r.created, time: true },
  { header: 'CACHED', value: (r) => r.cached },
  { header: 'NOTE', value: (r) => r.note },
];
const now = new Date('2026-01-03T00:00:00Z');

function io(tty: boolean, env: Record<string, string> = {}) {
  const s = fakeStreams({ tty });
  return { io: new IO(s.streams, { env }), out: s.stdout };
}

describe('renderList', () => {
  it('in a terminal: a header and aligned columns, relative times, yes/no, "-" for empty', () => {
    const t = io(true, { NO_COLOR: '1' });
    renderList(t.io, rows, columns, { json: false, now });
    const lines = t.out().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+CREATED\s+CACHED\s+NOTE$/);
    expect(lines[1]).toMatch(/^alpha\s+2 days ago\s+yes\s+-$/);
    expect(lines[2]).toMatch(/^beta-gateway\s+24 hours ago\s+no\s+tab-free$/);
    // Columns line up.
    expect(lines[1]!.indexOf('2 days')).toBe(lines[0]!.indexOf('CREATED'));
  });

  it('piped: tab-separated rows, no header, RFC 3339 UTC times, no colour', () => {
    const p = io(false, { FORCE_COLOR: '0' });
    renderList(p.io, rows, columns, { json: false, now });
    expect(p.out()).toBe(
      'alpha\t2026-01-01T08:00:00.000Z\ttrue\t\nbeta-gateway\t2026-01-02T00:00:00.000Z\tfalse\ttab-free\n',
    );
  });

  it('an empty list prints nothing (and is not an error)', () => {
    const t = io(true);
    renderList(t.io, [], columns, { json: false });
    expect(t.out()).toBe('');
    const j = io(false);
    renderList(j.io, [], columns, { json: true });
    expect(j.out()).toBe('[]\n');
  });

  it('--json: the rows themselves, pretty in a terminal, compact when piped', () => {
    const t = io(true);
    renderList(t.io, rows, columns, { json: true });
    expect(t.out()).toBe(`${JSON.stringify(rows, null, 2)}\n`);
    const p = io(false);
    renderList(p.io, rows, columns, { json: true });
    expect(p.out()).toBe(`${JSON.stringify(rows)}\n`);
  });
});

describe('renderObject', () => {
  it('key/value lines in a terminal, key<TAB>value piped', () => {
    const fields = columns.slice(0, 3);
    const t = io(true, { NO_COLOR: '1' });
    renderObject(t.io, rows[0]!, fields, { json: false, now });
    expect(t.out()).toBe('ID       alpha\nCREATED  2 days ago\nCACHED   yes\n');
    const p = io(false);
    renderObject(p.io, rows[0]!, fields, { json: false, now });
    expect(p.out()).toBe('ID\talpha\nCREATED\t2026-01-01T08:00:00.000Z\nCACHED\ttrue\n');
  });
});

describe('JSON', () => {
  it('renderJson indents only in a terminal; renderJsonLine is always one line', () => {
    const t = io(true);
    renderJson(t.io, { a: 1 });
    expect(t.out()).toBe('{\n  "a": 1\n}\n');
    const l = io(true);
    renderJsonLine(l.io, { a: 1, b: [1, 2] });
    renderJsonLine(l.io, { a: 2 });
    expect(l.out()).toBe('{"a":1,"b":[1,2]}\n{"a":2}\n');
  });
});

describe('relativeTime', () => {
  it('says past and future in words', () => {
    expect(relativeTime(new Date(now.getTime() - 10_000), now)).toBe('just now');
    expect(relativeTime(new Date(now.getTime() - 5 * 60_000), now)).toBe('5 minutes ago');
    expect(relativeTime(new Date(now.getTime() + 3 * 3600_000), now)).toBe('in 3 hours');
    expect(relativeTime(new Date(now.getTime() - 400 * 86400_000), now)).toBe('1 year ago');
  });
});
