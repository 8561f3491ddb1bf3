// The logs API's filter vocabulary (aig_LogFilter) and list orders, in one place for the CLI (which checks
// --filter and --sort before anything is sent) and the local gateway (which validates and compiles filters).
// A unit test holds them to the contract. Plain values only: the CLI's registration path may import this.

export const filterKeys = [
  'id',
  'created_at',
  'request_content_type',
  'response_content_type',
  'request_type',
  'success',
  'cached',
  'provider',
  'model',
  'model_type',
  'cost',
  'tokens',
  'tokens_in',
  'tokens_out',
  'duration',
  'feedback',
  'event_id',
  'metadata.key',
  'metadata.value',
  'authentication',
  'wholesale',
  'compatibilityMode',
  'dlp_action',
  'user_agent',
] as const;

export const filterOperators = ['eq', 'neq', 'contains', 'lt', 'gt'] as const;

/** The orders the list offers (delete adds the numeric columns). */
export const listOrders = ['created_at', 'provider', 'model', 'model_type', 'success', 'cached'] as const;

export type FilterKey = (typeof filterKeys)[number];
export type FilterOperator = (typeof filterOperators)[number];
export type FilterValue = string | number | boolean | null;
export type ListOrder = (typeof listOrders)[number];

/** One filter as the API takes it (aig_LogFilter). */
export interface LogFilter {
  key: FilterKey;
  operator: FilterOperator;
  value: FilterValue[];
}
