// The provider table: which upstream base URL a `/{provider}/{rest}` request is appended to, and which request
// headers carry the provider's credentials (they pass through, and they are part of the cache key).
//
// An override base (LocalGatewayOptions.upstreams[slug], or the built-in mock) replaces the provider's real
// base URL. For providers whose host depends on the path (vertex region, azure resource, bedrock region,
// baseten model), the override replaces the computed origin and the rest of the path keeps its real shape.
//
// `custom-{slug}` goes to its explicit override when there is one, else to the account's enabled custom provider
// with that slug (`customProvider`, from the store): `{base_url}/{rest}` joined as is, plus its stored headers,
// or the mock in its place under --mock. A slug with neither is 2002, as on Cloudflare.

import { GatewayCode, GatewayError, unknownProvider } from '../pipeline/errors.js';
import type { CustomProviderLookup } from './custom-providers.js';

export interface UpstreamTarget {
  /** scheme://host[:port] */
  origin: string;
  /** Path plus query string, as sent upstream. */
  path: string;
  /** Bedrock mantle: a `Bearer` Bedrock key travels as `x-api-key`. */
  bearerToApiKey: boolean;
  /** A custom provider's stored headers ([name, value, ...]); they fill in what the request lacks. */
  extraHeaders?: readonly string[];
}

interface Routed {
  base: string;
  rest: string;
  bearerToApiKey?: boolean;
}

interface ProviderSpec {
  /** Real base URL; providers with a `route` compute it from the path. */
  base: string;
  authHeaders: readonly string[];
  /** Maps the gateway rest path to a base and a rest; `base` is null to use the override as is. */
  route?: (rest: string, accountId: string, override: string | null) => Routed | string;
}

const AUTH = ['authorization'] as const;

const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const VERTEX_REGION = /(?:^|\/)locations\/([^/]+)\//;

/** The first `n` path segments and what follows them. */
function splitLeading(rest: string, n: number): { head: string[]; tail: string } {
  const head: string[] = [];
  let from = 0;
  while (head.length < n) {
    const slash = rest.indexOf('/', from);
    if (slash === -1) {
      head.push(rest.slice(from));
      return { head, tail: '' };
    }
    head.push(rest.slice(from, slash));
    from = slash + 1;
  }
  return { head, tail: rest.slice(from) };
}

const table: Record<string, ProviderSpec> = {
  openai: { base: 'https://api.openai.com/v1', authHeaders: AUTH },
  anthropic: { base: 'https://api.anthropic.com', authHeaders: ['x-api-key', 'authorization'] },
  'google-ai-studio': { base: 'https://generativelanguage.googleapis.com', authHeaders: ['x-goog-api-key'] },
  'google-vertex-ai': {
    base: 'https://aiplatform.googleapis.com',
    authHeaders: AUTH,
    route: (rest, _account, override) => {
      if (override) return { base: override, rest };
      const region = VERTEX_REGION.exec(rest)?.[1];
      if (!region || region === 'global') return { base: 'https://aiplatform.googleapis.com', rest };
      if (!HOST_LABEL.test(region)) return `invalid Vertex AI region '${region}'`;
      return { base: `https://${region}-aiplatform.googleapis.com`, rest };
    },
  },
  'workers-ai': {
    base: 'https://api.cloudflare.com/client/v4/accounts',
    authHeaders: AUTH,
    route: (rest, accountId, override) => {
      const base =
        override ?? `https://api.cloudflare.com/client/v4/accounts/${encodeURIComponent(accountId)}/ai`;
      // `/workers-ai/v1/chat/completions` is the OpenAI-compatible form; anything else is a model to run.
      return { base, rest: rest.startsWith('v1/') ? rest : `run/${rest}` };
    },
  },
  'azure-openai': {
    base: 'https://openai.azure.com',
    authHeaders: ['api-key', 'authorization'],
    route: (rest, _account, override) => {
      const { head, tail } = splitLeading(rest, 2);
      const [resource, deployment] = head;
      if (!resource || !deployment) return 'expected /azure-openai/{resource}/{deployment}/{path}';
      if (!HOST_LABEL.test(resource)) return `invalid Azure resource name '${resource}'`;
      return {
        base: override ?? `https://${resource}.openai.azure.com`,
        rest: `openai/deployments/${deployment}/${tail}`,
      };
    },
  },
  'aws-bedrock': {
    base: 'https://bedrock-runtime.us-east-1.amazonaws.com',
    authHeaders: ['authorization', 'x-amz-date', 'x-amz-security-token', 'x-api-key'],
    route: (rest, _account, override) => {
      const { head, tail } = splitLeading(rest, 2);
      const [service, region] = head;
      if (!service || !region) return 'expected /aws-bedrock/{service}/{region}/{path}';
      if (!HOST_LABEL.test(service) || !HOST_LABEL.test(region)) {
        return `invalid AWS service or region '${service}/${region}'`;
      }
      const mantle = service === 'bedrock-mantle';
      const real = mantle
        ? `https://bedrock-mantle.${region}.api.aws`
        : `https://${service}.${region}.amazonaws.com`;
      return { base: override ?? real, rest: tail, bearerToApiKey: mantle };
    },
  },
  groq: { base: 'https://api.groq.com/openai/v1', authHeaders: AUTH },
  mistral: { base: 'https://api.mistral.ai', authHeaders: AUTH },
  cohere: { base: 'https://api.cohere.ai', authHeaders: AUTH },
  'perplexity-ai': { base: 'https://api.perplexity.ai', authHeaders: AUTH },
  grok: { base: 'https://api.x.ai', authHeaders: AUTH },
  deepseek: { base: 'https://api.deepseek.com', authHeaders: AUTH },
  cerebras: { base: 'https://api.cerebras.ai/v1', authHeaders: AUTH },
  replicate: { base: 'https://api.replicate.com/v1', authHeaders: AUTH },
  huggingface: { base: 'https://api-inference.huggingface.co/models', authHeaders: AUTH },
  openrouter: { base: 'https://openrouter.ai/api', authHeaders: AUTH },
  baseten: {
    base: 'https://api.baseten.co',
    authHeaders: AUTH,
    route: (rest, _account, override) => {
      if (!rest.startsWith('model/')) return { base: override ?? 'https://api.baseten.co', rest };
      const id = splitLeading(rest, 2).head[1];
      if (!id || !HOST_LABEL.test(id)) return 'expected /baseten/model/{id}';
      if (override) return { base: override, rest };
      return { base: `https://model-${id}.api.baseten.co`, rest: 'production/predict' };
    },
  },
  parallel: { base: 'https://api.parallel.ai', authHeaders: ['x-api-key'] },
  fireworks: { base: 'https://api.fireworks.ai/inference/v1', authHeaders: AUTH },
  elevenlabs: { base: 'https://api.elevenlabs.io', authHeaders: ['xi-api-key'] },
  cartesia: { base: 'https://api.cartesia.ai', authHeaders: ['authorization', 'x-api-key'] },
  deepgram: { base: 'https://api.deepgram.com', authHeaders: ['authorization', 'token'] },
  fal: { base: 'https://fal.run', authHeaders: AUTH },
  ideogram: { base: 'https://api.ideogram.ai', authHeaders: ['authorization', 'api-key'] },
  'adobe-firefly': { base: 'https://firefly-api.adobe.io', authHeaders: ['authorization', 'x-api-key'] },
};

const CUSTOM_AUTH = ['authorization', 'x-api-key', 'api-key'] as const;

/** How a stored key (BYOK) travels to providers whose usual credential is not `Authorization: Bearer <key>`:
 *  [header, prefix]. Bedrock and Vertex keys are sent as bearer tokens too (the local gateway signs nothing). */
const keyHeaders: Record<string, readonly [string, string]> = {
  anthropic: ['x-api-key', ''],
  'google-ai-studio': ['x-goog-api-key', ''],
  'azure-openai': ['api-key', ''],
  parallel: ['x-api-key', ''],
  elevenlabs: ['xi-api-key', ''],
  cartesia: ['x-api-key', ''],
  ideogram: ['api-key', ''],
  deepgram: ['authorization', 'Token '],
  fal: ['authorization', 'Key '],
};

/** The providers the gateway knows by name; `custom-{slug}` names an account's custom provider besides these. */
export const builtInProviders: readonly string[] = Object.keys(table);

export function isKnownProvider(slug: string): boolean {
  return Object.hasOwn(table, slug) || slug.startsWith('custom-');
}

interface ParsedBase {
  origin: string;
  /** Path prefix without a trailing slash ('' for the root). */
  prefix: string;
  endsWithV1: boolean;
}

/** The base URL of the mock upstream for a provider it answers, else null. */
export type MockBase = (provider: string) => string | null;

export class ProviderTable {
  private readonly parsed = new Map<string, ParsedBase>();

  constructor(
    private readonly overrides: Readonly<Record<string, string>>,
    private readonly customProvider: CustomProviderLookup = () => null,
    private readonly mockBase: MockBase | null = null,
  ) {}

  isKnown(slug: string): boolean {
    return isKnownProvider(slug);
  }

  authHeaders(slug: string): readonly string[] {
    return table[slug]?.authHeaders ?? CUSTOM_AUTH;
  }

  /** The header a stored key is sent in, and its value. */
  keyHeader(slug: string, secret: string): [string, string] {
    const [name, prefix] = keyHeaders[slug] ?? ['authorization', 'Bearer '];
    return [name, prefix + secret];
  }

  /** The upstream for `/{slug}/{rest}{search}`; throws a GatewayError when it cannot be resolved. */
  resolve(slug: string, rest: string, search: string, accountId: string): UpstreamTarget {
    const spec = Object.hasOwn(table, slug) ? table[slug] : undefined;
    const override = this.overrideFor(slug);
    if (!spec) {
      if (!slug.startsWith('custom-')) throw unknownProvider(slug);
      // An explicit upstream stands in for the custom provider; the mock only for one that exists, so a slug
      // nobody configured gets Cloudflare's answer (2002) with or without --mock.
      const explicit = this.overrides[slug];
      if (explicit) return this.join(explicit, rest, search, false);
      const custom = this.customProvider(accountId, slug.slice(7));
      if (!custom) {
        throw new GatewayError(
          400,
          GatewayCode.UnknownProvider,
          `Custom provider '${slug}' not found: no enabled custom provider with slug '${slug.slice(7)}' in ` +
            `account '${accountId}'. Create it with POST /client/v4/accounts/${accountId}/ai-gateway/custom-providers ` +
            'or start the local gateway with an upstream override for it',
        );
      }
      const mock = this.mockBase?.(slug);
      if (mock) return this.join(mock, rest, search, false);
      const target = this.join(custom.base, rest, search, false, true);
      target.extraHeaders = custom.headers;
      return target;
    }
    if (!spec.route) return this.join(override ?? spec.base, rest, search, false);
    const routed = spec.route(rest, accountId, override);
    if (typeof routed === 'string') throw new GatewayError(400, GatewayCode.BadRequest, routed);
    return this.join(routed.base, routed.rest, search, routed.bearerToApiKey === true);
  }

  private overrideFor(slug: string): string | null {
    const explicit = this.overrides[slug];
    if (explicit) return explicit;
    return this.mockBase ? this.mockBase(slug) : null;
  }

  private join(
    base: string,
    rest: string,
    search: string,
    bearerToApiKey: boolean,
    literal = false,
  ): UpstreamTarget {
    let p = this.parsed.get(base);
    if (!p) {
      const url = new URL(base);
      const prefix = url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
      p = { origin: url.origin, prefix, endsWithV1: prefix.endsWith('/v1') };
      // Bases are a small fixed set, except path-derived hosts; keep the memo bounded all the same.
      if (this.parsed.size < 1024) this.parsed.set(base, p);
    }
    // Cloudflare's own SDK keeps the upstream `v1/` for providers whose base already ends in /v1.
    const tail = !literal && p.endsWithV1 && rest.startsWith('v1/') ? rest.slice(3) : rest;
    return { origin: p.origin, path: `${p.prefix}/${tail}${search}`, bearerToApiKey };
  }
}
