import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newestFirst, searchHistory, toHistoryRecord } from '../../../renderer/logic/history-search';
import { usageByWeek, weekStart } from '../../../renderer/logic/usage-by-week';
import { session } from './session-fixtures';

const records = [
  toHistoryRecord('hpc1/a', session({ id: 'a', node: 'node01', state: 'ended', end: 'cancelled', submittedAt: '2026-11-01T09:00:00Z' }), 0),
  toHistoryRecord(
    'viz/b',
    session({
      id: 'b',
      cluster: 'viz',
      templateName: 'ParaView',
      templateId: 'paraview',
      values: { partition: 'gpu', hours: 4 },
      submittedAt: '2026-11-03T09:00:00Z',
    }),
    0,
  ),
  toHistoryRecord(
    'hpc1/c',
    session({ id: 'c', state: 'ended', end: 'failed', reason: 'Xvnc: cannot open display', submittedAt: '2026-11-02T09:00:00Z' }),
    0,
  ),
];

describe('history search', () => {
  it('matches every word, case-insensitively, across template, cluster, state and values', () => {
    assert.deepEqual(
      searchHistory(records, 'paraview').map((r) => r.key),
      ['viz/b'],
    );
    assert.deepEqual(
      searchHistory(records, 'HPC1 cancelled').map((r) => r.key),
      ['hpc1/a'],
    );
    assert.deepEqual(
      searchHistory(records, 'partition=gpu').map((r) => r.key),
      ['viz/b'],
    );
    assert.deepEqual(
      searchHistory(records, 'xvnc display').map((r) => r.key),
      ['hpc1/c'],
    );
  });

  it('returns everything for an empty query, and sorts newest first', () => {
    assert.equal(searchHistory(records, '  ').length, 3);
    assert.deepEqual(
      [...records].sort(newestFirst).map((r) => r.key),
      ['viz/b', 'hpc1/c', 'hpc1/a'],
    );
  });

  it('finds the one session that matches among 10,000', () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      toHistoryRecord(`c${i % 3}/${i}`, session({ id: String(i), cluster: `c${i % 3}`, jobId: String(5000 + i) }), 0),
    );
    const found = searchHistory(many, 'c1 6000');
    assert.deepEqual(
      found.map((r) => r.key),
      ['c1/1000'],
    );
  });
});

describe('usage per week', () => {
  it('starts weeks on Monday (UTC)', () => {
    assert.equal(new Date(weekStart(Date.parse('2026-11-22T23:00:00Z'))).toISOString(), '2026-11-16T00:00:00.000Z');
  });

  it('adds hours per cluster and splits a session across a week boundary', () => {
    const now = Date.parse('2026-11-25T12:00:00Z');
    const usage = usageByWeek(
      [
        session({ cluster: 'hpc1', state: 'ended', startedAt: '2026-11-22T22:00:00Z', endedAt: '2026-11-23T02:00:00Z' }),
        session({ cluster: 'viz', state: 'ready', startedAt: '2026-11-25T10:00:00Z' }),
        session({ cluster: 'viz', state: 'ended', end: 'cancelled' }),
      ],
      now,
    );
    assert.deepEqual(
      usage.weeks.map((w) => new Date(w * 1000).toISOString().slice(0, 10)),
      ['2026-11-16', '2026-11-23'],
    );
    assert.deepEqual(usage.series, [
      { cluster: 'hpc1', hours: [2, 2] },
      { cluster: 'viz', hours: [0, 2] },
    ]);
  });

  it('ends at the last week with use when nothing ran recently', () => {
    const usage = usageByWeek(
      [session({ state: 'ended', startedAt: '2026-03-03T10:00:00Z', endedAt: '2026-03-03T13:00:00Z' })],
      Date.parse('2026-11-25T12:00:00Z'),
    );
    assert.deepEqual(
      usage.weeks.map((w) => new Date(w * 1000).toISOString().slice(0, 10)),
      ['2026-03-02'],
    );
    assert.deepEqual(usage.series[0].hours, [3]);
  });
});
