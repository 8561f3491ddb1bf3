// `aigw gateway export [id] [--format yaml|json] [-o file]`: a gateway as an apply file: its settings, its routes'
// deployed flows, its provider keys as references to environment variables named by convention (the API never
// returns a secret), and the account's custom providers (header values by reference too). Applying the file right
// away, with those variables set to the secrets, prints "No changes".
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type CustomProvider, headerNames } from '../../client/custom-providers.js';
import type { ProviderKey } from '../../client/provider-keys.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { constantCase, formatRateLimit } from '../../io/values.js';
import { forGateway, gatewayTarget } from '../args/gateway.js';
import { fieldRules } from './spec.js';

export interface ExportFlags {
  format?: string;
  output?: string;
}

/** A variable the file references, and what it is for (the file's comment lists them). */
interface Variable {
  name: string;
  what: string;
}

/** An environment variable's name made of words: `google-ai-studio` + `API_KEY` → GOOGLE_AI_STUDIO_API_KEY. */
function envName(...words: string[]): string {
  const name = constantCase(words.join('_'))
    .replace(/[^A-Z0-9_]+/g, '_')
    .replace(/_+/g, '_');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

class Variables {
  readonly list: Variable[] = [];
  private readonly taken = new Set<string>();

  /** A reference to a new variable named `base` (BASE_2, ... when that name is taken already). */
  ref(base: string, what: string): { env: string } {
    let name = base;
    for (let n = 2; this.taken.has(name); n++) name = `${base}_${n}`;
    this.taken.add(name);
    this.list.push({ name, what });
    return { env: name };
  }
}

function keyEntry(key: ProviderKey, vars: Variables, gatewayId: string): Record<string, unknown> {
  const provider = key.provider_slug;
  const base = envName(provider, 'API_KEY', ...(key.alias === 'default' ? [] : [key.alias]));
  const rate = formatRateLimit(key.rate_limit, key.rate_limit_period);
  return {
    provider,
    ...(key.alias === 'default' ? {} : { alias: key.alias }),
    ...(key.default_config === (key.alias === 'default') ? {} : { default: key.default_config }),
    ...(rate === 'off' ? {} : { rate_limit: rate }),
    secret: vars.ref(base, `the ${provider} key "${key.alias}" of gateway ${gatewayId}`),
  };
}

const providerFields = [
  'name',
  'base_url',
  'description',
  'link',
  'position',
  'beta',
  'enable',
  'curl_example',
  'js_example',
] as const;

function providerEntry(provider: CustomProvider, vars: Variables): Record<string, unknown> {
  const entry: Record<string, unknown> = { slug: provider.slug };
  for (const field of providerFields) {
    if (provider[field] !== undefined && provider[field] !== null) entry[field] = provider[field];
  }
  const names = headerNames(provider);
  if (names.length > 0) {
    entry.headers = Object.fromEntries(
      names.map((name) => [
        name,
        vars.ref(envName(provider.slug, name), `header ${name} of custom provider ${provider.slug}`),
      ]),
    );
  }
  return entry;
}

async function runExport(id: string | undefined, ctx: Context) {
  const target = await gatewayTarget(ctx, id);
  const { accountId, gatewayId, client } = target;
  const gateway = (await forGateway(ctx, accountId, gatewayId, () =>
    client.gateways.get(accountId, gatewayId),
  )) as unknown as Record<string, unknown>;
  const [keys, routes, providers] = await Promise.all([
    client.providerKeys.list(accountId, gatewayId),
    client.routes.list(accountId, gatewayId),
    client.customProviders.list(accountId),
  ]);
  const vars = new Variables();
  const entry: Record<string, unknown> = { id: gatewayId };
  for (const field of Object.keys(fieldRules)) {
    if (gateway[field] !== undefined && gateway[field] !== null) entry[field] = gateway[field];
  }
  entry.keys = keys.map((k) => keyEntry(k, vars, gatewayId));
  entry.routes = routes.map((r) => ({ name: r.name, elements: r.elements }));
  const file = {
    gateways: [entry],
    ...(providers.length > 0 ? { providers: providers.map((p) => providerEntry(p, vars)) } : {}),
  };
  return { gatewayId, file, variables: vars.list };
}

/** The comment a YAML file opens with: where it came from, and the variables to set before applying it. */
function header(gatewayId: string, variables: Variable[], now: Date): string {
  const lines = [
    `Gateway ${gatewayId}, exported by aigw on ${now.toISOString()}. Apply it with: aigw gateway apply -f <this file>`,
  ];
  if (variables.length > 0) {
    lines.push(
      'Secrets are never exported: set these environment variables to them before applying this file',
      '(or point each `secret` at a file instead: {file: ./secrets/name}):',
      ...variables.map((v) => `  ${v.name}: ${v.what}`),
    );
  }
  return lines.map((l) => `# ${l}`.trimEnd()).join('\n');
}

export async function exportCommand(id: string | undefined, flags: ExportFlags, ctx: Context): Promise<void> {
  const format = (flags.format ?? 'yaml').toLowerCase();
  if (format !== 'yaml' && format !== 'json') {
    throw new UsageError(`--format: "${flags.format}" is not yaml or json.`);
  }
  const { gatewayId, file, variables } = await runExport(id, ctx);
  let text: string;
  if (format === 'json') text = `${JSON.stringify(file, null, 2)}\n`;
  else {
    // Bundled, the CommonJS build of yaml exposes its API on `default` only.
    const yaml: typeof import('yaml') & { default?: typeof import('yaml') } = await import('yaml');
    const { Document, visit, isScalar } = yaml.Document ? yaml : yaml.default!;
    const doc = new Document(file);
    // References and flow links read best on one line: `secret: {env: OPENAI_API_KEY}`, `next: {elementId: a}`.
    visit(doc, {
      Map(_, node) {
        const [only] = node.items;
        const key = isScalar(only?.key) ? only.key.value : undefined;
        if (node.items.length === 1 && (key === 'env' || key === 'file' || key === 'elementId'))
          node.flow = true;
      },
    });
    text = `${header(gatewayId, variables, ctx.now())}\n${doc.toString({ lineWidth: 0 })}`;
  }
  const toFile = flags.output !== undefined && flags.output !== '-';
  if (toFile) {
    try {
      await writeFile(resolve(ctx.cwd, flags.output!), text);
    } catch (err) {
      throw new UsageError(
        `-o: cannot write ${flags.output}: ${(err as NodeJS.ErrnoException).code ?? err}.`,
      );
    }
  } else ctx.io.out(text.trimEnd());
  ctx.io.success(`Exported gateway ${gatewayId}${toFile ? ` to ${flags.output}` : ''}.`);
  const names = variables.map((v) => v.name);
  if (names.length > 0) {
    const their = names.length === 1 ? 'its secret' : 'their secrets';
    ctx.io.err(`Before applying it, set ${names.join(', ')} to ${their} (secrets are never exported).`);
  }
}
