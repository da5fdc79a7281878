import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AGENT_RESTART, backoffDelay, HOST_LINK_RECONNECT, SSH_RECONNECT, VIEWER_RECONNECT } from '../../../agent/common/backoff';

const lowest = () => 0;
const highest = () => 0.999999;

test('SSH reconnects come within 200 ms at first, double, stop at 30 s, and are half random', () => {
  assert.deepEqual(
    [1, 2, 3].map((n) => backoffDelay(n, SSH_RECONNECT, lowest)),
    [100, 200, 400],
  );
  assert.deepEqual(
    [1, 2, 3].map((n) => backoffDelay(n, SSH_RECONNECT, highest)),
    [200, 400, 800],
  );
  assert.equal(backoffDelay(50, SSH_RECONNECT, lowest), 15_000);
  assert.equal(backoffDelay(50, SSH_RECONNECT, highest), 30_000);
});

test('an agent that died is restarted on the SSH schedule', () => {
  assert.equal(backoffDelay(3, AGENT_RESTART, lowest), backoffDelay(3, SSH_RECONNECT, lowest));
});

test('the host link and the viewer retry after 0.5, 1, 2, 4, then every 5 seconds, with no randomness', () => {
  for (const policy of [HOST_LINK_RECONNECT, VIEWER_RECONNECT]) {
    const lows = [1, 2, 3, 4, 5, 6, 1000].map((n) => backoffDelay(n, policy, lowest));
    const highs = [1, 2, 3, 4, 5, 6, 1000].map((n) => backoffDelay(n, policy, highest));
    assert.deepEqual(lows, [500, 1000, 2000, 4000, 5000, 5000, 5000]);
    assert.deepEqual(highs, lows);
  }
});

test('a random share is never below the fixed share nor above the ceiling', () => {
  const policy = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.5 };
  for (let attempt = 1; attempt < 12; attempt += 1) {
    const ceiling = Math.min(30_000, 500 * 2 ** (attempt - 1));
    const delay = backoffDelay(attempt, policy);
    assert.ok(delay >= ceiling / 2 && delay <= ceiling, `attempt ${attempt}: ${delay} ms`);
  }
});
