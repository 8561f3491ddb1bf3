// The control plane checks dataset and evaluation bodies with its own schemas, and the CLI checks dataset filters
// with the same keys and operators; these must be the contract's.
import { describe, expect, it } from 'vitest';
import { datasetFilterSchema, datasetRequestSchema } from '../../src/local/control-plane/datasets.js';
import { evaluationCreateSchema } from '../../src/local/control-plane/evaluations.js';
import { datasetFilterKeys, datasetFilterOperators } from '../../src/log-filters.js';
import { contractSchema, plainSchema } from '../helpers/openapi.js';

describe('dataset and evaluation schemas', () => {
  it('are the contract’s aig_DatasetFilter, aig_DatasetRequest and aig_EvaluationCreateRequest', () => {
    expect(plainSchema(datasetFilterSchema)).toEqual(plainSchema(contractSchema('aig_DatasetFilter')));
    expect(plainSchema(datasetRequestSchema)).toEqual(plainSchema(contractSchema('aig_DatasetRequest')));
    expect(plainSchema(evaluationCreateSchema)).toEqual(
      plainSchema(contractSchema('aig_EvaluationCreateRequest')),
    );
  });

  it('give datasets the contract’s filter keys and operators', () => {
    const filter = contractSchema('aig_DatasetFilter') as {
      properties: { key: { enum: string[] }; operator: { enum: string[] } };
    };
    expect([...datasetFilterKeys]).toEqual(filter.properties.key.enum);
    expect([...datasetFilterOperators]).toEqual(filter.properties.operator.enum);
  });
});
