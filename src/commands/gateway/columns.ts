// How a gateway looks in a table or as a single object, for every command that shows gateways.
import type { Gateway } from '../../client/gateways.js';
import type { Column } from '../../io/render.js';
import { formatDuration, formatRateLimit } from '../../io/values.js';

function cacheTtlText(gateway: Pick<Gateway, 'cache_ttl'>): string {
  return gateway.cache_ttl ? formatDuration(gateway.cache_ttl) : 'off';
}

function rateLimitText(
  gateway: Pick<Gateway, 'rate_limiting_limit' | 'rate_limiting_interval' | 'rate_limiting_technique'>,
  withTechnique = false,
): string {
  const text = formatRateLimit(gateway.rate_limiting_limit, gateway.rate_limiting_interval);
  return withTechnique && text !== 'off' && gateway.rate_limiting_technique
    ? `${text} (${gateway.rate_limiting_technique})`
    : text;
}

/** The columns of a gateway list. */
export const gatewayColumns: Column<Gateway>[] = [
  { header: 'ID', value: (g) => g.id },
  { header: 'CACHE TTL', value: cacheTtlText },
  { header: 'RATE LIMIT', value: (g) => rateLimitText(g) },
  { header: 'LOGS', value: (g) => g.collect_logs },
  { header: 'AUTH', value: (g) => g.authentication ?? false },
  { header: 'CREATED', value: (g) => g.created_at, time: true },
];

function retriesText(g: Gateway): string | undefined {
  if (!g.retry_max_attempts) return undefined;
  const parts = [`${g.retry_max_attempts} attempts`];
  if (g.retry_delay !== null && g.retry_delay !== undefined) parts.push(`${g.retry_delay} ms apart`);
  if (g.retry_backoff) parts.push(g.retry_backoff);
  return parts.join(', ');
}

function logLimitText(g: Gateway): string | undefined {
  if (!g.log_management) return undefined;
  const strategy = g.log_management_strategy?.toLowerCase().replace('_', ' ');
  return strategy ? `${g.log_management} (then ${strategy})` : String(g.log_management);
}

const configured = (value: unknown): string | undefined =>
  value === null || value === undefined
    ? undefined
    : Array.isArray(value)
      ? `${value.length} configured`
      : 'configured';

/** The fields of one gateway (get, create, update). Empty optional settings show as '-'. */
export const gatewayFields: Column<Gateway>[] = [
  { header: 'ID', value: (g) => g.id },
  { header: 'Cache TTL', value: cacheTtlText },
  { header: 'Cache invalidate on update', value: (g) => g.cache_invalidate_on_update },
  { header: 'Rate limit', value: (g) => rateLimitText(g, true) },
  { header: 'Collect logs', value: (g) => g.collect_logs },
  { header: 'Log limit', value: logLimitText },
  { header: 'Authentication', value: (g) => g.authentication ?? false },
  { header: 'Retries', value: retriesText },
  { header: 'Logpush', value: (g) => g.logpush ?? false },
  { header: 'Zero data retention', value: (g) => g.zdr ?? false },
  { header: 'BYOK only', value: (g) => g.byok_only ?? false },
  { header: 'Workers AI billing', value: (g) => g.workers_ai_billing_mode },
  { header: 'Guardrails', value: (g) => configured(g.guardrails) },
  { header: 'DLP', value: (g) => (g.dlp && 'enabled' in g.dlp && g.dlp.enabled ? 'enabled' : undefined) },
  { header: 'OpenTelemetry', value: (g) => configured(g.otel) },
  { header: 'Spend limits', value: (g) => (g.spend_limits?.enabled ? 'enabled' : undefined) },
  { header: 'Created', value: (g) => g.created_at, time: true },
  { header: 'Modified', value: (g) => g.modified_at, time: true },
];
