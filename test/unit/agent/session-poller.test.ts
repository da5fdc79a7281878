import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Session } from '../../../agent/protocol';
import { FAST_POLL_MS, IMMINENT_POLL_MS, JUST_SUBMITTED_MS, nextPollMs, SessionPoller, SLOW_POLL_MS } from '../../../agent/session-poller';

function session(state: Session['state'], reason?: string): Session {
  return {
    id: 's1',
    templateId: 't',
    jobId: '1',
    values: {},
    submittedAt: '2026-11-23T00:00:00.000Z',
    state,
    ...(reason ? { reason } : {}),
  };
}

describe('session poller', () => {
  it('looks often while a desktop is about to start, every second while queued, slowly once nothing is about to change, and announces only changes', async () => {
    const answers = [
      [session('submitted')],
      [session('queued', 'Resources')],
      [session('starting')],
      [session('ready')],
      [session('ready')],
    ];
    const delays: number[] = [];
    const changed: Session['state'][] = [];
    const poller = new SessionPoller({
      list: async () => answers.shift() ?? [],
      onChange: (s) => changed.push(s.state),
      onError: (error) => assert.fail(error),
      setTimer: (_fn, ms) => {
        delays.push(ms);
        return { cancel: () => undefined };
      },
    });
    for (let i = 0; i < 5; i++) await poller.tick();
    assert.deepEqual(delays, [IMMINENT_POLL_MS, FAST_POLL_MS, IMMINENT_POLL_MS, SLOW_POLL_MS, SLOW_POLL_MS]);
    // The first round only learns what there is; then each change is announced once.
    assert.deepEqual(changed, ['queued', 'starting', 'ready']);
  });

  it('keeps going after Slurm fails, a little later', async () => {
    const delays: number[] = [];
    const errors: string[] = [];
    const poller = new SessionPoller({
      list: async () => {
        throw new Error('squeue did not answer within 20 s');
      },
      onChange: () => undefined,
      onError: (error) => errors.push(error.message),
      setTimer: (_fn, ms) => {
        delays.push(ms);
        return { cancel: () => undefined };
      },
    });
    await poller.tick();
    assert.equal(errors.length, 1);
    assert.equal(delays[0], FAST_POLL_MS * 5);
  });

  it('looks again at once when asked while a look is under way', async () => {
    let answer: (sessions: Session[]) => void = () => undefined;
    const delays: number[] = [];
    const poller = new SessionPoller({
      list: () => new Promise((resolve) => (answer = resolve)),
      onChange: () => undefined,
      onError: (error) => assert.fail(error),
      setTimer: (_fn, ms) => {
        delays.push(ms);
        return { cancel: () => undefined };
      },
    });
    const tick = poller.tick();
    poller.kick();
    answer([session('ready')]);
    await tick;
    assert.deepEqual(delays, [0]);
  });

  it("looks after a write in a session folder with Slurm's last answer, and asks Slurm at launches and scheduled looks", async () => {
    const asked: boolean[] = [];
    const timers: (() => void)[] = [];
    const poller = new SessionPoller({
      list: async (askSlurm) => (asked.push(askSlurm), [session('starting')]),
      onChange: () => undefined,
      onError: (error) => assert.fail(error),
      setTimer: (fn) => (timers.push(fn), { cancel: () => undefined }),
    });
    const runNext = async () => {
      timers.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    };
    await poller.tick();
    timers.length = 0;
    poller.kick('folder');
    await runNext();
    await runNext(); // the one scheduled after it
    poller.kick();
    await runNext();
    assert.deepEqual(asked, [true, false, true, true]);
  });

  it('looks often at a job queued moments ago, which usually starts within the second, and every second after that', () => {
    const submitted = Date.parse(session('queued').submittedAt);
    assert.equal(nextPollMs([session('queued')], submitted + 100), IMMINENT_POLL_MS);
    assert.equal(nextPollMs([session('queued')], submitted + JUST_SUBMITTED_MS + 1), FAST_POLL_MS);
  });
});
