// A directory of recordings: one readable JSON file per upstream exchange, named after the provider, the path
// and the hash of the canonical request (canonical.ts). Loaded once when the gateway starts; recordings made
// while it runs are added as they are written. A replay run keeps `.aigw-used.json` beside them: the hashes it
// answered from, so `aigw cassettes list` and `prune` can tell which recordings are no longer used.
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CanonicalRequest, differences, type IgnoreRule, leaves } from './canonical.js';

export type CassetteMode = 'record' | 'replay' | 'hybrid';

export interface CassetteOptions {
  dir: string;
  /** record: every exchange goes upstream and is saved; replay: answered from files only; hybrid: replayed
   *  when recorded, else sent upstream and saved. */
  mode: CassetteMode;
  /** `recorded`: a replayed answer keeps its recorded time to the head and between stream events. */
  speed: 'instant' | 'recorded';
  ignore: IgnoreRule[];
}

export const RECORDING_FORMAT = 'aigw-recording/1';
const USAGE_FILE = '.aigw-used.json';

export interface StreamEvent {
  /** Milliseconds after the response head. */
  at_ms: number;
  data: string;
}

/** One file. A response body is `json`, `text` or `base64`, or a stream's `events`. */
export interface Recording {
  format: typeof RECORDING_FORMAT;
  hash: string;
  recorded_at: string;
  model: string | null;
  request: CanonicalRequest & { headers: Record<string, string> };
  response: {
    status: number;
    headers: Record<string, string>;
    /** Milliseconds from sending the request to the response head. */
    head_ms: number;
    json?: unknown;
    text?: string;
    base64?: string;
    events?: StreamEvent[];
  };
}

export interface Entry {
  file: string;
  recording: Recording;
}

export class CassetteStore {
  private readonly byHash = new Map<string, Entry>();
  private readonly used = new Set<string>();

  /** `now`: the runtime's clock, which stamps a recording's `recorded_at`. */
  constructor(
    readonly options: CassetteOptions,
    readonly now: () => Date,
  ) {
    if (options.mode === 'replay')
      readdirSync(options.dir); // a missing directory fails at start
    else mkdirSync(options.dir, { recursive: true });
    for (const entry of readRecordings(options.dir)) this.byHash.set(entry.recording.hash, entry);
    if (options.mode !== 'record') this.writeUsage();
  }

  find(hash: string): Recording | null {
    return this.byHash.get(hash)?.recording ?? null;
  }

  markUsed(hash: string): void {
    if (this.used.has(hash)) return;
    this.used.add(hash);
    this.writeUsage();
  }

  /** The recording most like `request` (same provider and path first), and where they differ. */
  closest(request: CanonicalRequest): { file: string; differs: string[] } | null {
    const mine = leaves(request);
    let best: { file: string; differs: string[]; same: boolean } | null = null;
    for (const { file, recording } of this.byHash.values()) {
      const { headers: _headers, ...theirs } = recording.request;
      const same = theirs.provider === request.provider && theirs.path === request.path;
      const differs = differences(mine, leaves(theirs));
      if (!best || (same && !best.same) || (same === best.same && differs.length < best.differs.length)) {
        best = { file, differs, same };
      }
    }
    return best && { file: best.file, differs: best.differs };
  }

  save(recording: Recording): string {
    const { provider, path } = recording.request;
    const slug = `${provider}-${path}`.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 80);
    const file = `${slug}-${recording.hash}.json`;
    writeAtomically(join(this.options.dir, file), `${JSON.stringify(recording, null, 2)}\n`);
    this.byHash.set(recording.hash, { file, recording });
    return file;
  }

  private writeUsage(): void {
    const body = { note: 'recordings the last replay run answered from', used: [...this.used].sort() };
    writeAtomically(join(this.options.dir, USAGE_FILE), `${JSON.stringify(body, null, 2)}\n`);
  }
}

/** Every recording in `dir` (other JSON files are skipped), by file name. */
export function readRecordings(dir: string): Entry[] {
  const out: Entry[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.json') || file.startsWith('.')) continue;
    try {
      const recording = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Recording;
      if (recording?.format === RECORDING_FORMAT && typeof recording.hash === 'string') {
        out.push({ file, recording });
      }
    } catch {
      // Not a recording (or a broken one): it answers nothing.
    }
  }
  return out;
}

/** The hashes the last replay run on `dir` answered from, or null when no replay ran there. */
export function readUsage(dir: string): Set<string> | null {
  try {
    const body = JSON.parse(readFileSync(join(dir, USAGE_FILE), 'utf8')) as { used?: unknown };
    return Array.isArray(body.used) ? new Set(body.used.map(String)) : null;
  } catch {
    return null;
  }
}

function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
