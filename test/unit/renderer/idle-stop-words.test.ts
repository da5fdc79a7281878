// The words a person reads about an idle stop: the coming one on a ready session, and the end.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { idleStopWords } from '../../../agent/common/idle-stop';
import { stateTone, stateWords } from '../../../renderer/logic/state-words';

describe('idle stop words', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');

  it('counts whole minutes up, and never says 0 before the stop', () => {
    assert.equal(idleStopWords('2026-11-30T12:08:30Z', now), 'Idle: stops in 9 min');
    assert.equal(idleStopWords('2026-11-30T12:10:00Z', now), 'Idle: stops in 10 min');
    assert.equal(idleStopWords('2026-11-30T12:00:05Z', now), 'Idle: stops in 1 min');
    assert.equal(idleStopWords('2026-11-30T11:59:00Z', now), 'Idle: stops in 1 min');
  });

  it('reads an idle end as `Ended — idle`, an expected end rather than a fault', () => {
    assert.equal(stateWords({ state: 'ended', end: 'idle' }), 'Ended — idle');
    assert.equal(stateTone({ state: 'ended', end: 'idle' }), 'ok');
  });
});
