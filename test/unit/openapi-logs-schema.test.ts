// The CLI checks --filter and --sort with its own keys, operators and orders (it never loads the contract);
// these must be the contract's.
import { describe, expect, it } from 'vitest';
import { deleteOrders } from '../../src/local/store/logs/queries.js';
import { filterKeys, filterOperators, listOrders } from '../../src/log-filters.js';
import { contractSchema, findOperation } from '../helpers/openapi.js';

const logsPath = '/accounts/a/ai-gateway/gateways/g/logs';

function queryEnum(method: string, name: string): unknown {
  const parameters = findOperation(method, logsPath)!.definition.parameters as {
    name: string;
    schema: { enum?: unknown[] };
  }[];
  return parameters.find((p) => p.name === name)?.schema.enum;
}

describe('logs schemas', () => {
  it('filter with the keys and operators of the contract’s aig_LogFilter', () => {
    expect([...filterKeys]).toEqual(
      (contractSchema('aig_LogFilter') as { properties: { key: { enum: [] } } }).properties.key.enum,
    );
    expect([...filterOperators]).toEqual(
      (contractSchema('aig_LogFilter') as { properties: { operator: { enum: [] } } }).properties.operator
        .enum,
    );
  });

  it('offer the orders the list and the delete declare', () => {
    expect([...listOrders]).toEqual(queryEnum('GET', 'order_by'));
    expect([...deleteOrders]).toEqual(queryEnum('DELETE', 'order_by'));
  });
});
