// Profiles: one per environment (dev/staging/prod), each with its own credentials, account id and
// optional default gateway and API base URL. Settings live in config.json, secrets in credentials.json;
// both 0600 in a 0700 directory. `local` is built in and points at `aigw proxy`.
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { JsonFile } from './json-file.js';

import { DEFAULT_PROFILE, LOCAL_ACCOUNT, LOCAL_PROFILE } from './names.js';

export { DEFAULT_PROFILE, LOCAL_PROFILE };

export interface ProfileSettings {
  accountId?: string;
  accountName?: string;
  defaultGateway?: string;
  baseUrl?: string;
}

export type StoredCredential = { apiToken: string } | { apiKey: string; email: string };

interface ConfigShape {
  currentProfile?: string;
  profiles: Record<string, ProfileSettings>;
}

interface CredentialsShape {
  profiles: Record<string, StoredCredential>;
}

export class ProfileStore {
  private readonly config: JsonFile<ConfigShape>;
  private readonly secrets: JsonFile<CredentialsShape>;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    this.config = new JsonFile<ConfigShape>(join(dir, 'config.json'), { profiles: {} });
    this.secrets = new JsonFile<CredentialsShape>(join(dir, 'credentials.json'), { profiles: {} });
  }

  get currentProfile(): string | undefined {
    return this.config.get('currentProfile');
  }

  setCurrent(name: string): void {
    this.config.set('currentProfile', name);
  }

  /** Stored profiles, plus the built-in `local`. */
  names(): string[] {
    const names = new Set(Object.keys(this.config.get('profiles')));
    names.add(LOCAL_PROFILE);
    return [...names].sort();
  }

  exists(name: string): boolean {
    return name === LOCAL_PROFILE || name in this.config.get('profiles');
  }

  settings(name: string): ProfileSettings {
    const stored = this.config.get('profiles')[name] ?? {};
    // The built-in local profile works in the local gateway's default account unless told otherwise.
    return name === LOCAL_PROFILE ? { accountId: LOCAL_ACCOUNT, ...stored } : stored;
  }

  credential(name: string): StoredCredential | undefined {
    return this.secrets.get('profiles')[name];
  }

  /** Creates or changes a profile; undefined values remove a setting. */
  save(name: string, settings: ProfileSettings): void {
    const profiles = { ...this.config.get('profiles') };
    const merged: ProfileSettings = { ...profiles[name], ...settings };
    for (const key of Object.keys(merged) as (keyof ProfileSettings)[]) {
      if (merged[key] === undefined) delete merged[key];
    }
    profiles[name] = merged;
    this.config.set('profiles', profiles);
  }

  saveCredential(name: string, credential: StoredCredential): void {
    this.secrets.set('profiles', { ...this.secrets.get('profiles'), [name]: credential });
  }

  removeCredential(name: string): boolean {
    const all = { ...this.secrets.get('profiles') };
    if (!(name in all)) return false;
    delete all[name];
    this.secrets.set('profiles', all);
    return true;
  }

  remove(name: string): void {
    const profiles = { ...this.config.get('profiles') };
    delete profiles[name];
    this.config.set('profiles', profiles);
    this.removeCredential(name);
    if (this.currentProfile === name) this.config.delete('currentProfile');
  }
}
