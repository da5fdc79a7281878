import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCountdown, formatDuration, secondsUntil } from '../../../renderer/logic/durations';
import { launchSteps } from '../../../renderer/logic/launch-steps';

describe('countdown', () => {
  it('shows hours and minutes while more than an hour is left', () => {
    assert.equal(formatCountdown((2 * 3600 + 5 * 60 + 30) * 1000), '2 h 05 min left');
  });
  it('shows minutes and seconds in the last hour', () => {
    assert.equal(formatCountdown((9 * 60 + 5) * 1000), '9 min 05 s left');
    assert.equal(formatCountdown(42_900), '42 s left');
  });
  it('says the time is up at or past the end', () => {
    assert.equal(formatCountdown(0), 'time is up');
    assert.equal(formatCountdown(-5000), 'time is up');
  });
});

describe('durations', () => {
  it('gives tenths of a second for short steps and minutes for long ones', () => {
    assert.equal(formatDuration(420), '0.4 s');
    assert.equal(formatDuration(12_300), '12 s');
    assert.equal(formatDuration(123_000), '2 min 03 s');
    assert.equal(formatDuration(1_800_000), '30 min');
    assert.equal(formatDuration(3_720_000), '1 h 02 min');
  });
  it('rounds a reconnect countdown up, never showing 0 s early', () => {
    assert.equal(secondsUntil(10_001, 9_000), 2);
    assert.equal(secondsUntil(5_000, 9_000), 0);
  });
});

describe('launch steps', () => {
  const submittedAt = '2026-11-20T10:00:00.000Z';
  const t0 = Date.parse(submittedAt);

  it('times each step until the next one and the current one until now', () => {
    const steps = launchSteps({ state: 'starting', submittedAt }, { queued: t0 + 300, starting: t0 + 1000 }, t0 + 1600);
    assert.deepEqual(
      steps.map((s) => [s.name, s.status, s.tookMs]),
      [
        ['submitted', 'done', 300],
        ['queued', 'done', 700],
        ['starting', 'current', 600],
        ['ready', 'pending', undefined],
      ],
    );
  });

  it('marks a step the window never saw as skipped', () => {
    const steps = launchSteps({ state: 'ready', submittedAt, startedAt: '2026-11-20T10:00:02.000Z' }, { ready: t0 + 2500 }, t0 + 3000);
    assert.equal(steps[1].status, 'skipped');
    assert.equal(steps[0].tookMs, 2000);
    assert.equal(steps[3].status, 'done');
  });

  it("takes Starting from the agent's ready time, so a list shown again an hour later does not stretch it", () => {
    const session = { state: 'ready' as const, submittedAt, startedAt: '2026-11-20T10:00:02.000Z', readyAt: '2026-11-20T10:00:09.000Z' };
    const anHourLater = t0 + 3_600_000;
    const steps = launchSteps(session, { ready: anHourLater }, anHourLater);
    assert.deepEqual(
      steps.map((s) => [s.name, s.status, s.tookMs]),
      [
        ['submitted', 'done', 2000],
        ['queued', 'skipped', undefined],
        ['starting', 'done', 7000],
        ['ready', 'done', undefined],
      ],
    );
    assert.equal(steps[3].at, Date.parse('2026-11-20T10:00:09.000Z'));
  });
});
