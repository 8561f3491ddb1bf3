// How apply knows whether a referenced secret changed, when the API never returns a secret: for each stored key
// (and custom provider's headers) it sent or found matching, aigw keeps a salted digest of the secret (HMAC-SHA256
// with a random salt made on this machine, never the secret) and the key's modified_at, in applied-secrets.json
// in the config dir (mode 0600). A secret is "changed" when
//   - the API's preview of it (****abcd) contradicts the referenced secret, or
//   - the digest recorded for the key's current modified_at differs from the referenced secret's.
// With no record for that modified_at (another machine, CI, a key rotated elsewhere, a gateway just exported),
// the preview is the only evidence: a secret it does not contradict is taken as unchanged and recorded.
import { createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { isObject, kindOf, SettingsFile } from '../../config/settings-file.js';

interface SecretRecord {
  digest: string;
  modified_at: string;
}

interface DigestsShape extends Record<string, unknown> {
  salt?: string;
  secrets?: Record<string, SecretRecord>;
}

function shapeProblem(data: Record<string, unknown>): string | undefined {
  if (data.salt !== undefined && typeof data.salt !== 'string')
    return `"salt" must be a string, not ${kindOf(data.salt)}`;
  if (data.secrets !== undefined && !isObject(data.secrets)) return `"secrets" must be an object`;
  return undefined;
}

export class SecretDigests {
  private readonly file: SettingsFile<DigestsShape>;
  private records: Record<string, SecretRecord>;
  private salt: string | undefined;
  private dirty = false;

  constructor(configDir: string) {
    this.file = new SettingsFile<DigestsShape>(join(configDir, 'applied-secrets.json'), shapeProblem);
    this.salt = this.file.get('salt');
    this.records = { ...(this.file.get('secrets') ?? {}) };
  }

  private digest(secret: string): string {
    this.salt ??= randomBytes(32).toString('hex');
    return createHmac('sha256', this.salt).update(secret).digest('hex');
  }

  /** Whether `secret` differs from the one behind the key as it is now (see the top of this file). */
  changed(id: string, secret: string, now: { preview?: string | undefined; modified_at: string }): boolean {
    if (now.preview !== undefined && previewContradicts(now.preview, secret)) return true;
    const record = this.records[id];
    if (!record || record.modified_at !== now.modified_at) return false;
    return record.digest !== this.digest(secret);
  }

  /** Remembers that the key, as of `modified_at`, holds `secret` (only its salted digest is kept). */
  remember(id: string, secret: string, modifiedAt: string): void {
    const record = { digest: this.digest(secret), modified_at: modifiedAt };
    const old = this.records[id];
    if (old?.digest === record.digest && old.modified_at === modifiedAt) return;
    this.records[id] = record;
    this.dirty = true;
  }

  forget(id: string): void {
    if (!(id in this.records)) return;
    delete this.records[id];
    this.dirty = true;
  }

  save(): void {
    if (!this.dirty) return;
    this.file.set('salt', this.salt);
    this.file.set('secrets', this.records);
    this.dirty = false;
  }
}

/**
 * Whether a preview such as `****abcd` or `sk-...wxyz` cannot be of `secret`: the characters it shows before
 * and after the masked run must start and end the secret. A preview with no masked run says nothing.
 */
export function previewContradicts(preview: string, secret: string): boolean {
  const match = /^([^*•.]*)[*•.]{3,}([^*•.]*)$/.exec(preview);
  if (!match) return false;
  const [, head, tail] = match as unknown as [string, string, string];
  return !secret.startsWith(head) || !secret.endsWith(tail);
}
