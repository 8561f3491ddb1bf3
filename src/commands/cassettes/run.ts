// The verbs of `aigw cassettes`: each reads the directory, returns rows, and lets src/io render them.
import { statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { streamText } from '../../io/answer-text.js';
import { type Column, renderJson, renderList, renderObject } from '../../io/render.js';
import { type Entry, readRecordings, readUsage } from '../../local/cassettes/store.js';

interface Row {
  file: string;
  hash: string;
  provider: string;
  method: string;
  path: string;
  model: string | null;
  status: number;
  /** Its number of events, for a stream; null otherwise. */
  events: number | null;
  /** Whether the last replay run used it; null when no replay ran on the directory. */
  used: boolean | null;
  recorded_at: string;
}

const yesNo = (v: boolean | null) => (v === null ? null : v ? 'yes' : 'no');

const columns: Column<Row>[] = [
  { header: 'FILE', value: (r) => r.file },
  { header: 'PROVIDER', value: (r) => r.provider },
  { header: 'METHOD', value: (r) => r.method },
  { header: 'PATH', value: (r) => r.path },
  { header: 'MODEL', value: (r) => r.model },
  { header: 'STATUS', value: (r) => r.status },
  { header: 'STREAM', value: (r) => r.events },
  { header: 'USED', value: (r) => yesNo(r.used) },
  { header: 'RECORDED', value: (r) => r.recorded_at, time: true },
];

function recordings(dir: string, ctx: Context): { entries: Entry[]; used: Set<string> | null } {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {}
  if (!isDir) {
    throw new UsageError(`${dir}: no such directory.`, {
      hint: `Record into it: ${ctx.command} proxy --record ${dir}`,
    });
  }
  return { entries: readRecordings(dir), used: readUsage(dir) };
}

function rowOf({ file, recording: r }: Entry, used: Set<string> | null): Row {
  return {
    file,
    hash: r.hash,
    provider: r.request.provider,
    method: r.request.method,
    path: r.request.path,
    model: r.model,
    status: r.response.status,
    events: r.response.events?.length ?? null,
    used: used === null ? null : used.has(r.hash),
    recorded_at: r.recorded_at,
  };
}

export function listCommand(dir: string, ctx: Context): void {
  const { entries, used } = recordings(dir, ctx);
  renderList(
    ctx.io,
    entries.map((e) => rowOf(e, used)),
    columns,
    { json: ctx.json },
  );
}

export function showCommand(dir: string, which: string, ctx: Context): void {
  const { entries, used } = recordings(dir, ctx);
  const found = entries.filter((e) => e.file === which || e.recording.hash.startsWith(which.toLowerCase()));
  if (found.length !== 1) {
    throw new UsageError(
      found.length === 0
        ? `No recording "${which}" in ${dir}.`
        : `"${which}" names ${found.length} recordings.`,
      { hint: `${ctx.command} cassettes list ${dir} names them.` },
    );
  }
  const entry = found[0]!;
  if (ctx.json) {
    renderJson(ctx.io, { file: entry.file, ...entry.recording });
    return;
  }
  const { request, response } = entry.recording;
  const row = { ...rowOf(entry, used), request: JSON.stringify(request.body), answer: answerOf(response) };
  const fields: Column<typeof row>[] = [
    ...columns,
    { header: 'HASH', value: (r) => r.hash },
    { header: 'REQUEST', value: (r) => r.request },
    { header: 'ANSWER', value: (r) => r.answer },
  ];
  renderObject(ctx.io, row, fields, { json: false });
}

/** The answer as text: a stream's text assembled, a JSON body compact. */
function answerOf(response: Entry['recording']['response']): string {
  if (response.events) {
    const raw = response.events.map((e) => e.data).join('');
    return streamText(raw) ?? raw;
  }
  if (response.json !== undefined) return JSON.stringify(response.json);
  return response.text ?? `(${response.base64?.length ?? 0} base64 characters)`;
}

export function pruneCommand(dir: string, flags: { dryRun?: boolean }, ctx: Context): void {
  const { entries, used } = recordings(dir, ctx);
  if (used === null) {
    throw new UsageError(`No replay has run on ${dir} yet: nothing tells which recordings are unused.`, {
      hint: `Run your tests against ${ctx.command} proxy --replay ${dir}, stop it, then prune.`,
    });
  }
  const unused = entries.filter((e) => !used.has(e.recording.hash));
  if (!flags.dryRun) for (const e of unused) unlinkSync(join(dir, e.file));
  const rows = unused.map((e) => ({ ...rowOf(e, used), deleted: !flags.dryRun }));
  renderList(ctx.io, rows, [...columns.slice(0, 5), { header: 'DELETED', value: (r) => yesNo(r.deleted) }], {
    json: ctx.json,
  });
  const counts = `${unused.length} of ${entries.length} recordings`;
  if (flags.dryRun) ctx.io.err(`${counts} would be deleted (unused by the last replay run).`);
  else ctx.io.success(`Deleted ${counts} (unused by the last replay run).`);
}
