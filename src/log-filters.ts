// The logs API's filter vocabulary (aig_LogFilter), the part of it datasets take (aig_DatasetFilter), and list
// orders, in one place for the CLI (which checks --filter and --sort before anything is sent) and the local
// gateway (which validates and compiles filters).
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

/** The keys a dataset's filters take (aig_DatasetFilter): a subset of the logs API's. */
export const datasetFilterKeys = [
  'created_at',
  'request_content_type',
  'response_content_type',
  'success',
  'cached',
  'provider',
  'model',
  'cost',
  'tokens',
  'tokens_in',
  'tokens_out',
  'duration',
  'feedback',
] as const satisfies readonly FilterKey[];

/** The operators a dataset's filters take: the logs API's without neq. */
export const datasetFilterOperators = [
  'eq',
  'contains',
  'lt',
  'gt',
] as const satisfies readonly FilterOperator[];

/** One filter of a dataset (aig_DatasetFilter): no null values. */
export interface DatasetFilter {
  key: (typeof datasetFilterKeys)[number];
  operator: (typeof datasetFilterOperators)[number];
  value: (string | number | boolean)[];
}
