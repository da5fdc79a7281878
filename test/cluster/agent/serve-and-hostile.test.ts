// `serve` over one ssh channel, as the app uses it, fed hostile values: every one is rejected
// with the field named, or stored verbatim in a real launch, and none of them runs anywhere.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Session } from '../../../agent/protocol';
import { RPC_ERRORS } from '../../../agent/protocol';
import { sshRun } from '../fixture';
import { HOSTILE_VALUES, titleAccepts } from '../../unit/agent/hostile-values';
import { cancelAll, installAgent, serveChannel } from './agent-harness';

// Launching every accepted value would put ~250 jobs on the shared test cluster; a real launch
// of these (the ones a shell would run) plus the builder's unit test of all of them covers it.
const LAUNCHED = HOSTILE_VALUES.filter(titleAccepts)
  .filter((v) => /[$`'"\\;|&<>!*?~{}\n]/.test(v))
  .slice(0, 30);
const PWNED = '/tmp/porthole-pwned';

describe('serve, fed hostile values', () => {
  const launched: Session[] = [];
  let serve: ReturnType<typeof serveChannel>;

  before(async () => {
    installAgent();
    await sshRun(`rm -f ${PWNED}`);
    serve = serveChannel();
  });

  after(async () => {
    await cancelAll(launched);
    await serve.close();
  });

  it('answers hello and a malformed line without dying', async () => {
    serve.sendRaw('{this is not json');
    const hello = await serve.call('hello', {});
    assert.equal((hello.result as { protocolVersion: number }).protocolVersion, 1);
  });

  it(`rejects, naming the field, every one of the ${HOSTILE_VALUES.filter((v) => !titleAccepts(v)).length} values the title may not hold, and every hostile partition`, async () => {
    for (const value of HOSTILE_VALUES.filter((v) => !titleAccepts(v))) {
      const answer = await serve.call('sessions.launch', { templateId: 'xterm', values: { title: value } });
      assert.equal(answer.error?.code, RPC_ERRORS.invalidParams, JSON.stringify(value));
      assert.equal(answer.error?.data?.field, 'title');
    }
    for (const value of HOSTILE_VALUES.slice(0, 120)) {
      const answer = await serve.call('sessions.launch', { templateId: 'xterm', values: { partition: value } });
      assert.equal(answer.error?.data?.field, 'partition', JSON.stringify(value));
    }
  });

  it(`stores ${LAUNCHED.length} shell-active values verbatim in real launches and runs none of them`, { timeout: 180_000 }, async () => {
    for (const value of LAUNCHED) {
      const answer = await serve.call('sessions.launch', { templateId: 'xterm', values: { title: value, hours: 0.05 } });
      assert.equal(answer.error, undefined, JSON.stringify(answer.error));
      const session = answer.result as Session;
      launched.push(session);
      assert.equal(session.values.title, value);
    }
    const shown = await serve.call('sessions.list', { all: true });
    for (const session of launched) {
      const listed = (shown.result as Session[]).find((s) => s.id === session.id);
      assert.equal(listed?.values.title, session.values.title);
    }
    // Let the scripts run their header and start on node01 before looking for side effects.
    await new Promise((resolve) => setTimeout(resolve, 8000));
    const check = await sshRun(
      `test -e ${PWNED} && echo PWNED-LOGIN; srun -N1 -w node01 --overlap -t 1 sh -c 'test -e ${PWNED} && echo PWNED-NODE' || true`,
    );
    assert.doesNotMatch(check.stdout, /PWNED/);
  });

  it('sends session.changed as the launched sessions change state', async () => {
    const deadline = Date.now() + 30_000;
    while (
      !serve.notes.some((n) => n.method === 'session.changed' && launched.some((s) => s.id === n.params.id)) &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.ok(
      serve.notes.some((n) => launched.some((s) => s.id === n.params.id)),
      'no session.changed came',
    );
  });

  it('sends the ended session soon after sessions.cancel, without being asked again', async () => {
    const answer = await serve.call('sessions.launch', { templateId: 'xterm', values: { runtime: 'native', hours: 0.1 } });
    const session = answer.result as Session;
    launched.push(session);
    const endedNote = () => serve.notes.find((n) => n.params.id === session.id && n.params.state === 'ended');
    const cancelled = await serve.call('sessions.cancel', { id: session.id });
    assert.equal(cancelled.error, undefined, JSON.stringify(cancelled.error));
    assert.ok(
      (cancelled.result as Session).state === 'ended' || /cancelling/i.test((cancelled.result as Session).reason ?? ''),
      JSON.stringify(cancelled.result),
    );
    // Slow polling (15 s) is for sessions that are not about to change; a cancel is.
    const deadline = Date.now() + 12_000;
    while (!endedNote() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
    assert.equal(endedNote()?.params.end, 'cancelled', 'no session.changed with the cancelled end came');
  });

  it('exits when its stdin closes', async () => {
    assert.equal(await serve.close(), 0);
    serve = serveChannel();
  });
});
