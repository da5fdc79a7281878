import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stateTone, stateWords } from '../../../renderer/logic/state-words';
import { connectionWords } from '../../../renderer/logic/connection-words';

describe('state words', () => {
  it('names each waiting and running state as the issue does', () => {
    assert.equal(stateWords({ state: 'submitted' }), 'Submitted');
    assert.equal(stateWords({ state: 'queued' }), 'Queued');
    assert.equal(stateWords({ state: 'starting' }), 'Starting');
    assert.equal(stateWords({ state: 'ready' }), 'Ready');
  });

  it('says how a session ended after a dash', () => {
    assert.equal(stateWords({ state: 'ended', end: 'cancelled' }), 'Ended — cancelled');
    assert.equal(stateWords({ state: 'ended', end: 'failed' }), 'Ended — failed');
    assert.equal(stateWords({ state: 'ended', end: 'timeout' }), 'Ended — time limit reached');
    assert.equal(stateWords({ state: 'ended' }), 'Ended');
  });

  it('marks failures and lost sessions as bad, a cancel as fine', () => {
    assert.equal(stateTone({ state: 'ended', end: 'lost' }), 'bad');
    assert.equal(stateTone({ state: 'ended', end: 'cancelled' }), 'ok');
    assert.equal(stateTone({ state: 'queued' }), 'waiting');
  });
});

describe('connection words', () => {
  it('counts down to the next reconnect attempt and keeps the reason', () => {
    const words = connectionWords(
      { cluster: 'hpc1', status: 'reconnecting', attempt: 2, reason: 'connect ECONNREFUSED 127.0.0.1:2222', nextAttemptAt: 10_400 },
      6_000,
    );
    assert.equal(words.label, 'Offline, reconnecting');
    assert.equal(words.countdown, 'in 5 s');
    assert.equal(words.detail, 'connect ECONNREFUSED 127.0.0.1:2222');
  });

  it('says "Connected" only when connected', () => {
    assert.equal(connectionWords({ cluster: 'hpc1', status: 'connected' }, 0).label, 'Connected');
    assert.notEqual(connectionWords({ cluster: 'hpc1', status: 'connecting' }, 0).label, 'Connected');
  });

  it('names the login node when the cluster has several', () => {
    assert.equal(connectionWords({ cluster: 'hpc1', status: 'connected', loginNode: 'login2' }, 0).label, 'Connected to login node login2');
  });
});
