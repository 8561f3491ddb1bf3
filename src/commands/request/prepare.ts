// What `aigw request` sends, worked out from its arguments and flags before anything is sent: the gateway,
// the provider path, the body (built from a prompt, or given with -d), and the headers (the provider's key
// from its environment variable, cf-aig-* options, extra headers). Every problem is a usage error.
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { readInput } from '../../io/files.js';
import { flagValue, parseDuration } from '../../io/values.js';
import { resolveGateway } from '../args/gateway.js';
import { metaPair } from '../args/log-filters.js';
import { compatSpec, providerSpec } from './providers.js';

export interface RequestFlags {
  provider?: string;
  model?: string;
  data?: string;
  path?: string;
  compat?: boolean;
  stream?: boolean;
  cacheTtl?: string;
  skipCache?: boolean;
  meta?: string[];
  eventId?: string;
  header?: string[];
}

interface Prepared {
  gatewayId: string;
  path: string;
  provider: string;
  model: string | null;
  body: unknown;
  headers: Record<string, string>;
  secrets: string[];
}

/** Works out what to send from the arguments and flags; usage errors before anything is sent. */
export async function prepare(
  first: string | undefined,
  second: string | undefined,
  flags: RequestFlags,
  ctx: Context,
) {
  let gateway: string | undefined;
  let prompt: string | undefined;
  if (second !== undefined) [gateway, prompt] = [first, second];
  else if (flags.data !== undefined) gateway = first;
  else prompt = first;
  if (prompt !== undefined && flags.data !== undefined) {
    throw new UsageError('Give a prompt or -d <body>, not both.');
  }
  if (prompt === undefined && flags.data === undefined) {
    throw new UsageError('Nothing to send: give a prompt, or a body with -d.', {
      hint: `e.g. ${ctx.hint('request prod-chat "Hello" --provider openai --model gpt-4o-mini')}`,
    });
  }
  if (prompt === '-') prompt = (await ctx.readStdin()).trim();

  let provider = (flags.provider ?? 'openai').trim();
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(provider)) {
    throw new UsageError(`--provider: "${flags.provider}" is not a provider name (e.g. openai, anthropic).`);
  }
  const stream = flags.stream === true;
  let model = flags.model?.trim() || null;
  let path: string;
  let body: unknown;
  let spec = providerSpec(provider);
  if (flags.compat) {
    model ??= `${provider}/${spec.defaultModel ?? ''}`;
    if (!model.includes('/')) model = `${provider}/${model}`;
    provider = model.slice(0, model.indexOf('/'));
    spec = { ...providerSpec(provider), headers: compatSpec.headers };
    path = flags.path?.replace(/^\/+/, '') ?? compatSpec.path;
    body = prompt === undefined ? undefined : compatSpec.body(model, prompt, stream);
  } else {
    model ??= spec.defaultModel ?? null;
    const fromSpec = model === null ? undefined : spec.path?.(model, stream);
    if (flags.path === undefined && fromSpec === undefined) {
      throw new UsageError(
        `--path is needed for provider ${provider}${model === null ? ' (or --model)' : ''}.`,
        {
          hint: `e.g. ${ctx.hint(`request -d @body.json --provider ${provider} --path chat/completions`)}`,
        },
      );
    }
    path = `${provider}/${(flags.path ?? fromSpec!).replace(/^\/+/, '')}`;
    if (prompt !== undefined) {
      if (model === null) throw new UsageError(`--model is needed for provider ${provider}.`);
      if (!spec.body)
        throw new UsageError(`aigw cannot build a ${provider} body from a prompt: give one with -d.`);
      body = spec.body(model, prompt, stream);
    }
  }
  if (flags.data !== undefined) {
    body = await readBody(ctx, flags.data, stream);
    // A body names its own model: the report says that one, not the default it replaced.
    if (flags.model === undefined) model = bodyModel(body);
  }

  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const secrets: string[] = [];
  const key = spec.keyEnv.map((name) => ctx.env[name]).find((v) => v !== undefined && v !== '');
  if (key) {
    Object.assign(headers, spec.headers(key));
    secrets.push(key);
  } else if (!(await ctx.target()).local) {
    ctx.io.warn(
      `${spec.keyEnv.join(' or ')} is not set: sending without a ${provider} key (a key stored in the gateway may apply).`,
    );
  }
  if (provider === 'anthropic' && !flags.compat) headers['anthropic-version'] = '2023-06-01';
  if (flags.cacheTtl !== undefined)
    headers['cf-aig-cache-ttl'] = String(flagValue('--cache-ttl', () => parseDuration(flags.cacheTtl!, 's')));
  if (flags.skipCache) headers['cf-aig-skip-cache'] = 'true';
  if (flags.meta && flags.meta.length > 0)
    headers['cf-aig-metadata'] = JSON.stringify(Object.fromEntries(flags.meta.map(metaPair)));
  if (flags.eventId !== undefined) headers['cf-aig-event-id'] = flags.eventId;
  for (const line of flags.header ?? []) {
    const at = line.indexOf(':');
    const name = line.slice(0, at).trim().toLowerCase();
    if (at <= 0 || !/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) {
      throw new UsageError(`--header: "${line.split(':')[0]}" is not "Name: value".`);
    }
    headers[name] = line.slice(at + 1).trim();
    secrets.push(headers[name]!);
  }
  const gatewayId = await resolveGateway(ctx, gateway);
  return {
    gatewayId,
    path: path.replace(/^\/+/, ''),
    provider,
    model,
    body,
    headers,
    secrets,
  } satisfies Prepared;
}

async function readBody(ctx: Context, data: string, stream: boolean): Promise<unknown> {
  const text = data.startsWith('@') ? await readInput(ctx, '-d', data.slice(1)) : data;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`-d: the body is not JSON: ${(err as Error).message}`);
  }
  if (stream && typeof body === 'object' && body !== null && !Array.isArray(body) && !('stream' in body)) {
    return { ...body, stream: true };
  }
  return body;
}

function bodyModel(body: unknown): string | null {
  const model = (body as { model?: unknown } | null)?.model;
  return typeof model === 'string' ? model : null;
}
