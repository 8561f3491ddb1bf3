// `aigw gateway url <id>`: where applications send requests through a gateway, per provider, and a ready
// OpenAI SDK snippet.
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { renderJson, renderList } from '../../io/render.js';
import { builtInProviders, isKnownProvider } from '../../local/upstream/providers.js';
import { forGateway, resolveGateway } from '../args/gateway.js';

const commonProviders = ['openai', 'anthropic', 'google-ai-studio', 'workers-ai', 'compat'] as const;
const snippetProviders = ['openai', 'compat'];

export interface UrlOptions {
  /** Defaults to the profile's default gateway. */
  id?: string | undefined;
  provider?: string;
  snippet?: boolean;
}

interface GatewayUrls {
  /** `.../v1/{account}/{gateway}`: a provider name (or `compat`) follows it. */
  base: string;
  providers: Record<string, string>;
  /** The OpenAI SDK snippet, when asked for. */
  snippet?: string;
}

async function runUrl(options: UrlOptions, ctx: Context): Promise<GatewayUrls> {
  const provider = options.provider?.trim();
  if (
    provider !== undefined &&
    provider !== 'compat' &&
    !(isKnownProvider(provider) && provider !== 'custom-')
  ) {
    throw new UsageError(`--provider: unknown provider "${options.provider}".`, {
      hint: `Providers: compat (the unified endpoint), ${builtInProviders.join(', ')}, or custom-{slug} for a custom provider.`,
    });
  }
  if (options.snippet && provider && !snippetProviders.includes(provider)) {
    throw new UsageError(`--snippet is an OpenAI SDK snippet: use it with --provider openai or compat.`);
  }
  const id = await resolveGateway(ctx, options.id);
  const accountId = await ctx.accountId();
  const client = await ctx.client();
  return forGateway(ctx, accountId, id, async () => {
    const asked = provider ?? 'openai';
    const url = await client.gateways.url(accountId, id, asked);
    const suffix = `/${encodeURIComponent(asked)}`;
    const base = url.endsWith(suffix) ? url.slice(0, -suffix.length) : url.replace(/\/[^/]*$/, '');
    const names = provider ? [provider] : [...commonProviders];
    const providers = Object.fromEntries(names.map((p) => [p, p === asked ? url : `${base}/${p}`]));
    const result: GatewayUrls = { base, providers };
    if (options.snippet) {
      const gateway = await client.gateways.get(accountId, id);
      result.snippet = openAiSnippet(url, asked, gateway.authentication === true, (await ctx.target()).local);
    }
    return result;
  });
}

/** A JavaScript OpenAI SDK example. Keys come from environment variables; none is ever written in. For the
 *  local gateway, a stand-in key when the variable is unset: the SDK refuses to start without one, and
 *  `aigw proxy --mock` needs none. */
function openAiSnippet(baseURL: string, provider: string, authenticated: boolean, local: boolean): string {
  const model = provider === 'compat' ? 'openai/gpt-4o-mini' : 'gpt-4o-mini';
  const lines = [
    '// npm install openai',
    "import OpenAI from 'openai';",
    '',
    'const client = new OpenAI({',
    local
      ? "  apiKey: process.env.OPENAI_API_KEY ?? 'sk-local', // aigw proxy --mock needs no real key"
      : '  apiKey: process.env.OPENAI_API_KEY,',
    `  baseURL: '${baseURL}',`,
  ];
  if (authenticated) {
    lines.push(
      '  // This gateway requires a gateway token (authentication is on).',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the snippet's own template literal
      "  defaultHeaders: { 'cf-aig-authorization': `Bearer ${process.env.CF_AIG_TOKEN}` },",
    );
  }
  lines.push(
    '});',
    '',
    'const completion = await client.chat.completions.create({',
    `  model: '${model}',`,
    "  messages: [{ role: 'user', content: 'Hello!' }],",
    '});',
    'console.log(completion.choices[0].message.content);',
  );
  return lines.join('\n');
}

export async function urlCommand(
  id: string | undefined,
  flags: Omit<UrlOptions, 'id'>,
  ctx: Context,
): Promise<void> {
  const urls = await runUrl({ id, ...flags }, ctx);
  if (ctx.json) {
    renderJson(ctx.io, urls);
    return;
  }
  if (urls.snippet) {
    ctx.io.out(urls.snippet);
    return;
  }
  if (flags.provider) {
    ctx.io.out(Object.values(urls.providers)[0]!);
    return;
  }
  const rows = [
    { name: 'base', url: urls.base },
    ...Object.entries(urls.providers).map(([name, url]) => ({ name, url })),
  ];
  renderList(
    ctx.io,
    rows,
    [
      { header: 'PROVIDER', value: (r) => r.name },
      { header: 'URL', value: (r) => r.url },
    ],
    { json: false },
  );
}
