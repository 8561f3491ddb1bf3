// The settings a gateway gets when nothing says otherwise, in one place for the CLI (`gateway create`,
// `gateway apply`), the local control plane and the local data plane (the `default` gateway it creates).
// Plain values only: the CLI start-up path imports this module.

/** What aigw sends for the fields the API requires on create when nothing says otherwise. */
export const createDefaults = {
  cache_ttl: 0,
  cache_invalidate_on_update: false,
  collect_logs: true,
  rate_limiting_interval: 0,
  rate_limiting_limit: 0,
  rate_limiting_technique: 'fixed',
} as const;

/**
 * The settings of the `default` gateway, which the gateway creates on first use as Cloudflare does; it
 * requires authentication when the gateway has an API token to check.
 */
export function defaultGatewaySettings(authentication: boolean) {
  return {
    ...createDefaults,
    authentication,
    logpush: false,
    workers_ai_billing_mode: 'postpaid',
  } as const;
}
