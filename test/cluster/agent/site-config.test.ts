// site.json on the real login node, read by the built agent: its limit is the one the launch form
// gets and the one a launch is held to; a user's agent.json that widens it is refused; an ended
// session loses its secrets at once and its folder after the site's time.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Session, TemplateList } from '../../../agent/protocol';
import { shellQuote, sshRun } from '../fixture';
import { makePrivateAgentHome, type PrivateAgentHome } from './private-agent-home';

let box: PrivateAgentHome;
const launched: Session[] = [];

before(async () => {
  box = await makePrivateAgentHome();
});

after(async () => {
  if (launched.length) await sshRun(`scancel ${launched.map((s) => shellQuote(s.jobId)).join(' ')}`);
  await box?.remove();
});

const siteHoursMax = { overrides: { xterm: { fields: { hours: { max: 2, default: 0.5 } } } } };

async function hoursField(): Promise<{ max?: number; default?: unknown }> {
  const { templates } = await box.agentJson<TemplateList>(['templates.list']);
  const field = templates.find((t) => t.id === 'xterm')?.fields.find((f) => f.name === 'hours');
  assert.ok(field?.type === 'number', 'xterm has its hours field');
  return field;
}

describe('site.json on the login node', () => {
  it('sets the hours limit and default that the launch form gets', async () => {
    await box.writeSiteConfig(siteHoursMax);
    const hours = await hoursField();
    assert.equal(hours.max, 2);
    assert.equal(hours.default, 0.5);
  });

  it('holds a launch to that limit: a field error, and nothing submitted', async () => {
    await box.writeSiteConfig(siteHoursMax);
    const refused = await box.agent(['sessions.launch', 'xterm', '--param', 'hours=3', '--json']);
    assert.equal(refused.code, 2, refused.stderr);
    const error = JSON.parse(refused.stderr).error;
    assert.equal(error.data.field, 'hours');
    assert.match(error.message, /at most 2/);
    const folders = await sshRun(`ls -A ${shellQuote(`${box.home}/.porthole/sessions`)} 2>/dev/null | wc -l`);
    assert.equal(folders.stdout.trim(), '0', 'no session folder was made');
  });

  it("refuses a user's agent.json that widens it, naming the file, line, key and both values", async () => {
    await box.writeSiteConfig(siteHoursMax);
    await box.writeUserConfig({ overrides: { xterm: { fields: { hours: { max: 8 } } } } });
    try {
      const refused = await box.agent(['templates.list']);
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(
        refused.stderr,
        new RegExp(
          `${box.home}/\\.porthole/agent\\.json:6:11: overrides\\.xterm\\.fields\\.hours\\.max: 8 is not allowed; .*the site allows 2 here`,
        ),
      );
      await box.writeUserConfig({ overrides: { xterm: { fields: { hours: { max: 1 } } } } });
      assert.equal((await hoursField()).max, 1, 'a narrower limit is taken');
    } finally {
      await sshRun(`rm -f ${shellQuote(`${box.home}/.porthole/agent.json`)}`);
    }
  });
});

describe('an ended session in the home', () => {
  it('loses its password and X cookie when it ends, and its folder after the site’s time', async () => {
    // 20 seconds: a site would say days.
    await box.writeSiteConfig({ sessions: { folderDaysAfterEnd: 20 / 86_400 } });
    const session = await box.agentJson<Session>(['sessions.launch', 'xterm', '--param', 'hours=0.1']);
    launched.push(session);
    const dir = `${box.home}/.porthole/sessions/${session.id}`;
    const ready = await waitFor(session.id, (s) => s.state === 'ready' || s.state === 'ended');
    assert.equal(ready.state, 'ready', ready.reason);
    const before = await sshRun(`ls -A ${shellQuote(dir)}`);
    assert.match(before.stdout, /^vnc-password$/m, 'a live session has its password');
    assert.match(before.stdout, /^xauthority$/m, 'and its X cookie');
    await box.agentJson<Session>(['sessions.cancel', session.id]);
    const ended = await waitFor(session.id, (s) => s.state === 'ended');
    // The agent keeps the end for good once the job's `ended` file is there (or 10 s later).
    const settled = async () => (await sshRun(`grep -c '"final"' ${shellQuote(`${dir}/session.json`)}`)).stdout.trim() === '1';
    await waitFor(session.id, () => false, settled);
    const left = (await sshRun(`ls -A ${shellQuote(dir)}`)).stdout.split('\n').filter(Boolean);
    for (const secret of ['vnc-password', 'vnc.passwd', 'xauthority']) assert.ok(!left.includes(secret), `${secret} is gone: ${left}`);
    assert.ok(left.includes('output.log') && left.includes('session.json'), `the log and the record stay: ${left}`);

    const wait = Date.parse(ended.endedAt ?? '') + 21_000 - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const listed = await box.agentJson<Session[]>(['sessions.list', '--all']);
    assert.equal(
      listed.some((s) => s.id === session.id),
      false,
    );
    const gone = await sshRun(`test -e ${shellQuote(dir)}`);
    assert.equal(gone.code, 1, 'the folder is removed');
  });
});

/** Asks `sessions.show` until `done` holds (or `also` does after a show), or a minute passed. */
async function waitFor(id: string, done: (s: Session) => boolean, also = async () => false): Promise<Session> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const session = await box.agentJson<Session>(['sessions.show', id]);
    if (done(session) || (await also()) || Date.now() > deadline) return session;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
