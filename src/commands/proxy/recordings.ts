// `aigw proxy --record DIR | --replay DIR [--record-missing] [--replay-speed recorded] [--replay-ignore RULE]`,
// and the same settings from the --config file (record, replay, recordMissing, replaySpeed, replayIgnore).
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { parseIgnoreRule } from '../../local/cassettes/canonical.js';
import type { CassetteOptions } from '../../local/cassettes/store.js';
import type { ProxyFlags } from '../proxy.js';
import type { ProxyFile } from './config-file.js';

export function cassetteSettings(
  flags: ProxyFlags,
  file: ProxyFile,
  fileName: string | undefined,
  cwd: string,
  /** How the user runs aigw, for hints. */
  command: string,
): CassetteOptions | undefined {
  const record = flags.record ?? (flags.replay === undefined ? file.record : undefined);
  const replay = flags.replay ?? (flags.record === undefined ? file.replay : undefined);
  const missing = flags.recordMissing ?? file.recordMissing ?? false;
  if (record !== undefined && replay !== undefined) {
    throw new UsageError('--record and --replay cannot be used together.', {
      hint: 'To replay what is recorded and record the rest: --replay DIR --record-missing.',
    });
  }
  if (record === undefined && replay === undefined) {
    if (flags.recordMissing || flags.replaySpeed || flags.replayIgnore) {
      throw new UsageError('--record-missing, --replay-speed and --replay-ignore go with --replay DIR.');
    }
    return undefined;
  }
  if (missing && replay === undefined) {
    throw new UsageError('--record-missing goes with --replay DIR (--record records everything already).');
  }
  const speed = flags.replaySpeed ?? file.replaySpeed ?? 'instant';
  if (speed !== 'instant' && speed !== 'recorded') {
    throw new UsageError(`--replay-speed takes instant or recorded, got "${speed}".`);
  }
  const ignore: [string, string][] = (file.replayIgnore ?? []).map((r) => [r, `replayIgnore in ${fileName}`]);
  for (const r of flags.replayIgnore ?? []) ignore.push([r, '--replay-ignore']);
  const rules = ignore.map(([spec, where]) => {
    const rule = parseIgnoreRule(spec);
    if (typeof rule === 'string') {
      throw new UsageError(`${where}: ${rule}.`, {
        hint: 'Example: --replay-ignore openai:/chat/completions:user,metadata',
      });
    }
    return rule;
  });
  const dir = resolve(cwd, (record ?? replay)!);
  if (replay !== undefined && !missing && !isDirectory(dir)) {
    throw new UsageError(`--replay ${replay}: no such directory.`, {
      hint: `Record into it first: ${command} proxy --record ${replay}`,
    });
  }
  const mode = record !== undefined ? 'record' : missing ? 'hybrid' : 'replay';
  return { dir, mode, speed, ignore: rules };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
