// `aigw profile show [name]`: a profile's effective settings and where each value comes from.

import {
  describeProfile,
  type ProfileView,
  unknownProfile,
  validateProfileName,
  withSource,
} from '../../config/profile-view.js';
import { profileName } from '../../config/target.js';
import type { Context } from '../../context.js';
import { type Column, renderObject } from '../../io/render.js';

async function runShow(name: string | undefined, ctx: Context): Promise<ProfileView> {
  const store = await ctx.profiles();
  if (name !== undefined) validateProfileName(name);
  const explicit = name ?? ctx.globals.profile;
  if (explicit && !store.exists(explicit)) throw unknownProfile(ctx, store, explicit);
  const profile = explicit ?? profileName(ctx.globals, ctx.env, store);
  return describeProfile(store, profile, ctx.globals, ctx.env).view;
}

const fields: Column<ProfileView>[] = [
  { header: 'Name', value: (p) => p.name },
  { header: 'Current', value: (p) => p.current },
  { header: 'Base URL', value: (p) => withSource(p.base_url, p.base_url_source) },
  { header: 'Credentials', value: (p) => withSource(p.credentials, p.credentials_source) ?? 'none' },
  { header: 'Account', value: (p) => withSource(p.account_id, p.account_source) },
  { header: 'Account name', value: (p) => p.account_name },
  { header: 'Default gateway', value: (p) => withSource(p.default_gateway, p.default_gateway && 'profile') },
];

export async function showCommand(name: string | undefined, ctx: Context): Promise<void> {
  const view = await runShow(name, ctx);
  renderObject(ctx.io, view, fields, { json: ctx.json });
}
