// The CLI checks dataset filters, and the local gateway reads them, with the keys and operators in
// log-filters.ts; these must be the contract's (aig_DatasetFilter).
import { describe, expect, it } from 'vitest';
import { datasetFilterKeys, datasetFilterOperators } from '../../src/log-filters.js';
import { contractSchema } from '../helpers/openapi.js';

describe('dataset filters', () => {
  it('have the contract’s keys and operators', () => {
    const filter = contractSchema('aig_DatasetFilter') as {
      properties: { key: { enum: string[] }; operator: { enum: string[] } };
    };
    expect([...datasetFilterKeys]).toEqual(filter.properties.key.enum);
    expect([...datasetFilterOperators]).toEqual(filter.properties.operator.enum);
  });
});
