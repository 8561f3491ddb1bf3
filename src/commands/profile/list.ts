// `aigw profile list`: every profile, the built-in `local` included, with masked credentials.

import { accountLabel } from '../../config/accounts.js';
import { describeProfile, type ProfileView } from '../../config/profile-view.js';
import type { Context } from '../../context.js';
import { type Column, renderList } from '../../io/render.js';

async function runList(ctx: Context): Promise<ProfileView[]> {
  const store = await ctx.profiles();
  return store.names().map((name) => describeProfile(store, name, ctx.globals, ctx.env).view);
}

const columns: Column<ProfileView>[] = [
  { header: 'NAME', value: (p) => p.name },
  { header: 'CURRENT', value: (p) => (p.current ? '*' : '') },
  { header: 'ACCOUNT', value: (p) => accountLabel(p.account_id, p.account_name) },
  { header: 'DEFAULT GATEWAY', value: (p) => p.default_gateway },
  { header: 'BASE URL', value: (p) => p.base_url },
  { header: 'CREDENTIALS', value: (p) => p.credentials ?? 'none' },
];

export async function listCommand(ctx: Context): Promise<void> {
  const profiles = await runList(ctx);
  renderList(ctx.io, profiles, columns, { json: ctx.json });
}
