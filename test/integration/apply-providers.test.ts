// gateway apply with custom providers: created with their header values read from the references the file
// names, unchanged ones send no write, a changed field is patched, a changed header value is sent again ("rotate"),
// and --prune deletes the providers a listing file does not name. Every request is checked against the contract;
// no output holds a header value.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localCommands } from '../helpers/local-commands.js';

const ACME_KEY = 'acme-secret-0123456789abcdef';
const ACME_ROTATED = 'acme-secret-rotated-99998888';
const OTHER_KEY = 'other-secret-5555444433332222';

// Each test applies in an account of its own.
const cli = localCommands([ACME_KEY, ACME_ROTATED, OTHER_KEY], undefined, { accountPerTest: true });

const writes = () => cli.contract.exchanges.filter((e) => e.method !== 'GET');

function apply(file: object, env: Record<string, string>, ...flags: string[]) {
  writeFileSync(join(cli.dir, 'gateways.json'), JSON.stringify(file));
  return cli.run(['gateway', 'apply', '-f', 'gateways.json', ...flags], { env });
}

const acme = {
  slug: 'acme',
  base_url: 'https://api.acme.example/v1',
  headers: { 'x-api-key': { env: 'ACME_KEY' } },
};
const other = { slug: 'other', name: 'Other', base_url: 'https://other.example' };

const stored = (slug: string) =>
  cli.gw.runtime.customProviders.list(cli.account, {}, { limit: 10, offset: 0 }).find((p) => p.slug === slug);

/** What the first test applies: both providers and a gateway. */
const both = { providers: [acme, other], gateways: [{ id: 'with-providers' }] };

describe('gateway apply with custom providers', () => {
  it('creates them with their headers, then sends no write when applied again', async () => {
    const env = { ACME_KEY };
    const file = both;
    const first = await apply(file, env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(
      'create\tcustom-acme\tcustom provider, name=acme base_url=https://api.acme.example/v1 headers: x-api-key; headers: x-api-key from $ACME_KEY',
    );
    expect(first.stdout).toContain('create\tcustom-other\tcustom provider, name=Other');
    expect(JSON.parse(stored('acme')!.headers!)).toEqual({ 'x-api-key': ACME_KEY });

    const before = writes().length;
    const again = await apply(file, env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('unchanged\tcustom-acme\tcustom provider');
    expect(again.stderr).toContain('No changes');
    expect(writes().length).toBe(before);
  });

  it('patches a changed field, sends changed header values again, and --prune deletes the unnamed one', async () => {
    expect((await apply(both, { ACME_KEY })).code).toBe(0);
    const env = { ACME_KEY: ACME_ROTATED };
    const file = { providers: [{ ...acme, description: 'Acme models' }] };
    const before = writes().length;
    const result = await apply(file, env, '--prune', '--yes');
    expect(result.stdout).not.toContain('with-providers');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('update\tcustom-acme\tcustom provider: description: null → Acme models');
    expect(result.stdout).toContain('delete\tcustom-other\tcustom provider, with its pricing rules');
    const sent = writes().slice(before);
    expect(sent.map((e) => `${e.method} ${e.operationId}`)).toEqual([
      'PATCH aig-config-update-account-provider',
      'DELETE aig-config-delete-account-provider',
    ]);
    expect(stored('acme')).toMatchObject({ description: 'Acme models' });
    expect(JSON.parse(stored('acme')!.headers!)).toEqual({ 'x-api-key': ACME_ROTATED });
    expect(stored('other')).toBeUndefined();

    const rotated = await apply(file, { ACME_KEY: OTHER_KEY });
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stdout).toContain('rotate\tcustom-acme\tcustom provider: rotate (secret changed)');
    expect(JSON.parse(stored('acme')!.headers!)).toEqual({ 'x-api-key': OTHER_KEY });
    expect((await apply(file, { ACME_KEY: OTHER_KEY })).stderr).toContain('No changes');
  });

  it('refuses a header value written in the file before any request', async () => {
    const before = cli.contract.exchanges.length;
    const result = await apply({ providers: [{ ...acme, headers: { 'x-api-key': OTHER_KEY } }] }, {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'providers[0] (acme): headers.x-api-key holds a secret written in the file',
    );
    expect(cli.contract.exchanges.length).toBe(before);
  });
});
