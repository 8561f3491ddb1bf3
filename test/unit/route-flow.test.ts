// The pure flow module: conditions (a Mongo-style query over metadata, body and headers), the checks that decide
// whether a flow can run, and walking a flow to the model a request reaches.
import { describe, expect, it } from 'vitest';
import { flowProblems } from '../../src/flow/check.js';
import { conditionProblems, describeCondition, matches } from '../../src/flow/conditions.js';
import { type Element, flowOf } from '../../src/flow/elements.js';
import { advance, type WalkHooks } from '../../src/flow/walk.js';
import { twoModelFlow } from '../helpers/route-flows.js';

const facts = {
  metadata: { plan: 'paid', tier: 3, beta: true, user: 'u1' },
  body: { model: 'dynamic/x', stream: true, messages: [] },
  headers: { 'x-team': 'search' },
};

describe('conditions', () => {
  it.each([
    [{ 'metadata.plan': { $eq: 'paid' } }, true],
    [{ 'metadata.plan': 'paid' }, true],
    [{ 'metadata.plan': { $ne: 'paid' } }, false],
    [{ 'metadata.plan': { $in: ['team', 'paid'] } }, true],
    [{ 'metadata.plan': { $nin: ['team', 'paid'] } }, false],
    [{ 'metadata.tier': { $gt: 2, $lte: 3 } }, true],
    [{ 'metadata.tier': { $gte: 4 } }, false],
    [{ 'metadata.tier': { $lt: '4' } }, false], // a number is never less than a string
    [{ 'metadata.plan': { $lt: 'zzz' } }, true],
    [{ 'metadata.missing': { $ne: 'x' } }, true],
    [{ 'metadata.missing': { $eq: null } }, true],
    [{ 'metadata.missing': { $exists: false } }, true],
    [{ 'metadata.user': { $exists: true } }, true],
    [{ $or: [{ 'metadata.plan': 'free' }, { 'metadata.beta': true }] }, true],
    [{ $and: [{ 'metadata.plan': 'paid' }, { 'metadata.tier': { $lt: 3 } }] }, false],
    [{ 'metadata.plan': 'paid', 'body.stream': true }, true],
    [{ 'headers.X-Team': 'search' }, true],
    [{ 'metadata.plan': { $regex: 'p' } }, false],
    [{}, true],
  ])('%j holds: %s', (query, expected) => {
    expect(matches(query, facts)).toBe(expected);
  });

  it('names what is wrong with a query', () => {
    expect(conditionProblems({ 'metadata.plan': { $eq: 'paid' } })).toEqual([]);
    expect(conditionProblems({ plan: 'paid', 'metadata.x': { $regex: 'a', $in: 'b' }, $nor: [] })).toEqual([
      'conditions: field "plan" must start with metadata., body. or headers.',
      expect.stringContaining('unknown operator $regex on "metadata.x"'),
      'conditions: $in on "metadata.x" takes a list',
      'conditions: unknown operator $nor (known: $and, $or)',
    ]);
    expect(conditionProblems({ $or: [] })).toEqual(['conditions: $or takes a non-empty list of queries']);
  });

  it('reads as one line', () => {
    expect(describeCondition({ 'metadata.plan': { $eq: 'paid' } })).toBe('metadata.plan = "paid"');
    expect(describeCondition({ $or: [{ 'metadata.a': 1 }, { 'metadata.b': { $gte: 2 } }] })).toBe(
      '(metadata.a = 1 or metadata.b >= 2)',
    );
  });
});

const to = (elementId: string) => ({ elementId });

describe('flow checks', () => {
  it('accepts a flow that can run', () => {
    expect(flowProblems(twoModelFlow('openai', 'a', 'anthropic', 'b') as Element[])).toEqual([]);
  });

  it('finds loops, missing starts, shares that do not add up, and flows without a model', () => {
    const loop = [
      { id: 's', type: 'start', outputs: { next: to('m') } },
      {
        id: 'm',
        type: 'model',
        properties: { provider: 'openai', model: 'a', timeout: 1000, retries: 0 },
        outputs: { success: to('e'), fallback: to('m') },
      },
      { id: 'e', type: 'end', outputs: {} },
    ] as Element[];
    expect(flowProblems(loop)).toEqual(['the flow loops: m -> m']);
    expect(flowProblems([{ id: 'e', type: 'end', outputs: {} }])).toEqual([
      'a route has exactly one start element, not 0',
    ]);
    const shares = [
      { id: 's', type: 'start', outputs: { next: to('p') } },
      { id: 'p', type: 'percentage', outputs: { '60%': to('e'), '30%': to('e') } },
      { id: 'e', type: 'end', outputs: {} },
    ] as Element[];
    expect(flowProblems(shares)).toEqual([
      'percentage "p": the percentages add up to 90% and there is no "else" output',
    ]);
    shares[1] = { id: 'p', type: 'percentage', outputs: { '60%': to('e'), else: to('e') } };
    expect(flowProblems(shares)).toEqual(['no model element can be reached from the start']);
  });
});

/** Hooks with a scripted draw and a limit that admits `room` requests per key. */
function hooks(draws: number[], room = Number.POSITIVE_INFINITY): WalkHooks {
  const counts = new Map<string, number>();
  return {
    random: () => draws.shift() ?? 0,
    admit: (element, key) => {
      const n = counts.get(`${element.id}/${key}`) ?? 0;
      if (n >= room) return false;
      counts.set(`${element.id}/${key}`, n + 1);
      return true;
    },
  };
}

const model = (id: string, name: string, fallback = 'end') => ({
  id,
  type: 'model' as const,
  properties: { provider: 'openai', model: name, timeout: 1000, retries: 0 },
  outputs: { success: to('end'), fallback: to(fallback) },
});

describe('walking a flow', () => {
  const flow = flowOf([
    { id: 'start', type: 'start', outputs: { next: to('paid?') } },
    {
      id: 'paid?',
      type: 'conditional',
      properties: { conditions: { 'metadata.plan': { $eq: 'paid' } } },
      outputs: { true: to('split'), false: to('limit') },
    },
    { id: 'split', type: 'percentage', outputs: { '80%': to('big'), '20%': to('small') } },
    {
      id: 'limit',
      type: 'rate',
      properties: { key: 'metadata.user', limit: 2, limitType: 'count', window: 60 },
      outputs: { success: to('small'), fallback: to('end') },
    },
    model('big', 'gpt-big', 'small'),
    model('small', 'gpt-small'),
    { id: 'end', type: 'end', outputs: {} },
  ]);

  it('follows conditions and percentage draws to a model, saying every turn', () => {
    const paid = { metadata: { plan: 'paid' } };
    const first = advance(flow, 'start', paid, hooks([0.5]));
    expect(first).toMatchObject({ kind: 'model', element: { id: 'big' } });
    expect(first.turns.map((t) => `${t.elementId}:${t.output}`)).toEqual([
      'start:next',
      'paid?:true',
      'split:80%',
    ]);
    expect(advance(flow, 'start', paid, hooks([0.85]))).toMatchObject({ element: { id: 'small' } });
    // A failed model goes on from its fallback output (big falls back to small).
    expect(advance(flow, 'small', paid, hooks([]))).toMatchObject({
      kind: 'model',
      element: { id: 'small' },
    });
  });

  it('counts requests per key and ends at the limit, saying which limit', () => {
    const h = hooks([], 2);
    const free = { metadata: { plan: 'free', user: 'u1' } };
    expect(advance(flow, 'start', free, h).kind).toBe('model');
    expect(advance(flow, 'start', free, h).kind).toBe('model');
    const third = advance(flow, 'start', free, h);
    expect(third).toMatchObject({ kind: 'end', limited: { id: 'limit' } });
    // Another user has a bucket of its own.
    expect(advance(flow, 'start', { metadata: { plan: 'free', user: 'u2' } }, h).kind).toBe('model');
  });
});
