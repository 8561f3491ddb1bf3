// Profiles: one per environment (dev/staging/prod), each with its own credentials, account id and
// optional default gateway and API base URL. Settings live in config.json, secrets in credentials.json;
// both 0600 in a 0700 directory. `local` is built in and points at `aigw proxy`.
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { hasUrlCredentials } from '../io/url-credentials.js';
import { LOCAL_ACCOUNT, LOCAL_PROFILE } from './names.js';
import { isObject, kindOf, SettingsFile } from './settings-file.js';

export interface ProfileSettings {
  accountId?: string;
  accountName?: string;
  defaultGateway?: string;
  baseUrl?: string;
}

export type StoredCredential = { apiToken: string } | { apiKey: string; email: string };

type ConfigShape = {
  currentProfile?: string;
  profiles?: Record<string, ProfileSettings>;
};

type CredentialsShape = {
  profiles?: Record<string, StoredCredential>;
};

const SETTING_KEYS = ['accountId', 'accountName', 'defaultGateway', 'baseUrl'] as const;

/** config.json as aigw writes it. Keys it does not know are left alone (a newer aigw may add some). */
function configProblem(data: Record<string, unknown>): string | undefined {
  if (data.currentProfile !== undefined && typeof data.currentProfile !== 'string')
    return `"currentProfile" must be a profile name (a string), not ${kindOf(data.currentProfile)}`;
  return eachProfile(data.profiles, (name, profile) => {
    for (const key of SETTING_KEYS) {
      if (profile[key] !== undefined && typeof profile[key] !== 'string')
        return `"profiles.${name}.${key}" must be a string, not ${kindOf(profile[key])}`;
    }
    // A password there would be shown wherever the URL is (profile list, --debug); profile add refuses it.
    if (typeof profile.baseUrl === 'string' && hasUrlCredentials(profile.baseUrl))
      return `"profiles.${name}.baseUrl" must not hold a user name or password`;
    return undefined;
  });
}

/** credentials.json as aigw writes it: an API token, or a global API key with its email, per profile. */
function credentialsProblem(data: Record<string, unknown>): string | undefined {
  return eachProfile(data.profiles, (name, credential) => {
    if (typeof credential.apiToken === 'string') return undefined;
    if (typeof credential.apiKey === 'string' && typeof credential.email === 'string') return undefined;
    return `"profiles.${name}" must hold "apiToken", or "apiKey" and "email" (strings)`;
  });
}

function eachProfile(
  profiles: unknown,
  check: (name: string, value: Record<string, unknown>) => string | undefined,
): string | undefined {
  if (profiles === undefined) return undefined;
  if (!isObject(profiles))
    return `"profiles" must be an object with one entry per profile, not ${kindOf(profiles)}`;
  for (const [name, value] of Object.entries(profiles)) {
    if (!isObject(value)) return `"profiles.${name}" must be an object, not ${kindOf(value)}`;
    const problem = check(name, value);
    if (problem) return problem;
  }
  return undefined;
}

export class ProfileStore {
  private readonly config: SettingsFile<ConfigShape>;
  private readonly secrets: SettingsFile<CredentialsShape>;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    this.config = new SettingsFile<ConfigShape>(join(dir, 'config.json'), configProblem);
    this.secrets = new SettingsFile<CredentialsShape>(join(dir, 'credentials.json'), credentialsProblem);
  }

  private storedProfiles(): Record<string, ProfileSettings> {
    return this.config.get('profiles') ?? {};
  }

  private storedCredentials(): Record<string, StoredCredential> {
    return this.secrets.get('profiles') ?? {};
  }

  get currentProfile(): string | undefined {
    return this.config.get('currentProfile');
  }

  setCurrent(name: string): void {
    this.config.set('currentProfile', name);
  }

  /** Stored profiles, plus the built-in `local`. */
  names(): string[] {
    const names = new Set(Object.keys(this.storedProfiles()));
    names.add(LOCAL_PROFILE);
    return [...names].sort();
  }

  exists(name: string): boolean {
    return name === LOCAL_PROFILE || Object.hasOwn(this.storedProfiles(), name);
  }

  settings(name: string): ProfileSettings {
    const profiles = this.storedProfiles();
    const stored = Object.hasOwn(profiles, name) ? profiles[name]! : {};
    // The built-in local profile works in the local gateway's default account unless told otherwise.
    return name === LOCAL_PROFILE ? { accountId: LOCAL_ACCOUNT, ...stored } : stored;
  }

  credential(name: string): StoredCredential | undefined {
    const all = this.storedCredentials();
    return Object.hasOwn(all, name) ? all[name] : undefined;
  }

  /** Creates or changes a profile; undefined values remove a setting. */
  save(name: string, settings: ProfileSettings): void {
    const profiles = { ...this.storedProfiles() };
    const merged: ProfileSettings = { ...profiles[name], ...settings };
    for (const key of Object.keys(merged) as (keyof ProfileSettings)[]) {
      if (merged[key] === undefined) delete merged[key];
    }
    profiles[name] = merged;
    this.config.set('profiles', profiles);
  }

  saveCredential(name: string, credential: StoredCredential): void {
    this.secrets.set('profiles', { ...this.storedCredentials(), [name]: credential });
  }

  removeCredential(name: string): boolean {
    const all = { ...this.storedCredentials() };
    if (!Object.hasOwn(all, name)) return false;
    delete all[name];
    this.secrets.set('profiles', all);
    return true;
  }

  remove(name: string): void {
    const profiles = { ...this.storedProfiles() };
    delete profiles[name];
    this.config.set('profiles', profiles);
    this.removeCredential(name);
    if (this.currentProfile === name) this.config.delete('currentProfile');
  }
}
