// The costs report built from analytics groups: rows per key in the report's time zone, ordering, exact
// totals, and the per-bucket series of a report by day or hour.
import { describe, expect, it } from 'vitest';
import type { CostGroup } from '../../src/client/analytics.js';
import { buildReport, queryDimensions } from '../../src/commands/costs/report.js';

function group(dimensions: CostGroup['dimensions'], count: number, cost: number, cached = 0): CostGroup {
  return {
    count,
    sum: {
      cost,
      cachedTokensIn: cached * 10,
      cachedTokensOut: cached * 5,
      uncachedTokensIn: (count - cached) * 10,
      uncachedTokensOut: (count - cached) * 5,
      cachedRequests: cached,
      erroredRequests: 0,
    },
    dimensions,
  };
}

const from = new Date('2026-03-01T00:00:00Z');
const to = new Date('2026-03-03T00:00:00Z');

describe('queryDimensions', () => {
  it("asks for Cloudflare's UTC date only in UTC, hours or quarter hours elsewhere", () => {
    expect(queryDimensions(['day', 'model'], 'UTC', from, to)).toEqual(['date', 'model']);
    expect(queryDimensions(['day', 'model'], 'Europe/Paris', from, to)).toEqual(['datetimeHour', 'model']);
    expect(queryDimensions(['hour'], 'Asia/Kolkata', from, to)).toEqual(['datetimeFifteenMinutes']);
    expect(queryDimensions(['gateway', 'provider'], 'UTC', from, to)).toEqual(['gateway', 'provider']);
  });
});

describe('buildReport', () => {
  it('orders by cost, largest first, and totals exactly (in picodollars)', () => {
    const report = buildReport(
      [group({ model: 'a' }, 3, 0.1), group({ model: 'b' }, 1, 0.2), group({ model: 'c' }, 2, 0.0000001, 1)],
      { by: ['model'], zone: 'UTC', from, to, gateways: [], truncated: false },
    );
    expect(report.rows.map((r) => r.model)).toEqual(['b', 'a', 'c']);
    expect(report.total).toEqual({
      requests: 6,
      tokensIn: 60,
      tokensOut: 30,
      cachedRequests: 1,
      cachedShare: 1 / 6,
      errors: 0,
      cost: 300_000_100_000 / 1e12,
    });
    expect(report.rows[2]).toMatchObject({ model: 'c', cachedShare: 0.5, cost: 0.0000001 });
    expect(report.series).toBeUndefined();
    expect(report.gateways).toBeNull();
  });

  it("adds hours up into the zone's days, oldest first, each day's models by cost, and a series of every day", () => {
    const report = buildReport(
      [
        group({ datetimeHour: '2026-03-01T22:00:00Z', model: 'x' }, 1, 0.5),
        group({ datetimeHour: '2026-03-01T23:00:00Z', model: 'x' }, 1, 0.25),
        group({ datetimeHour: '2026-03-01T23:00:00Z', model: 'y' }, 1, 1),
        group({ datetimeHour: '2026-03-01T01:00:00Z', model: 'y' }, 2, 0.125),
      ],
      { by: ['day', 'model'], zone: 'Europe/Paris', from, to, gateways: ['prod'], truncated: false },
    );
    expect(report.rows.map((r) => [r.day, r.model, r.requests, r.cost])).toEqual([
      ['2026-03-01', 'x', 1, 0.5],
      ['2026-03-01', 'y', 2, 0.125],
      ['2026-03-02', 'y', 1, 1],
      ['2026-03-02', 'x', 1, 0.25],
    ]);
    expect(report.series).toEqual({
      unit: 'day',
      // The zone's days that [from, to) touches, the empty ones included.
      buckets: [
        { start: '2026-03-01', cost: 0.625, requests: 3 },
        { start: '2026-03-02', cost: 1.25, requests: 2 },
        { start: '2026-03-03', cost: 0, requests: 0 },
      ],
    });
    expect(report.gateways).toEqual(['prod']);
  });
});
