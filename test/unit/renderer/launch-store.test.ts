import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiEvent, ApiMethod, ApiMethods } from '../../../main/api';
import { createCatalogStore } from '../../../renderer/stores/catalog-store';
import { createLaunchStore } from '../../../renderer/stores/launch-store';
import { createSessionsStore } from '../../../renderer/stores/sessions-store';
import { ApiCallError } from '../../../renderer/transport/api-call-error';
import type { ApiLink } from '../../../renderer/transport/link';
import { clusterInfo, desktopFields, session } from './session-fixtures';

/** Records the calls and answers from a table; only for the stores' own logic. */
function recordingLink(answers: Partial<{ [M in ApiMethod]: (...args: ApiMethods[M]['args']) => ApiMethods[M]['result'] }>) {
  const calls: string[] = [];
  const link: ApiLink = {
    status: 'online',
    onStatus: () => () => undefined,
    subscribe: (_handler: (event: ApiEvent) => void) => () => undefined,
    async call(method, ...args) {
      calls.push(method);
      const answer = answers[method] as ((...a: unknown[]) => unknown) | undefined;
      if (!answer) throw new Error(`unexpected ${method}`);
      return answer(...args) as never;
    },
  };
  return { link, calls };
}

async function setUp(answers: Parameters<typeof recordingLink>[0]) {
  const { link, calls } = recordingLink({
    'templates.list': () => ({
      templates: [
        { id: 'vnc-desktop', name: 'VNC desktop', description: '', icon: 'desktop', kind: 'vnc', source: 'builtin', fields: desktopFields },
      ],
      broken: [],
    }),
    'clusters.info': () => clusterInfo,
    ...answers,
  });
  const catalog = createCatalogStore(link);
  await catalog.getState().load('hpc1');
  const sessions = createSessionsStore(
    link,
    () => 1000,
    () => undefined,
  );
  const launch = createLaunchStore(catalog, sessions);
  launch.getState().choose('hpc1', 'vnc-desktop');
  return { launch, sessions, calls };
}

describe('launch form store', () => {
  it('does not call sessions.launch while a value is out of bounds, and shows the error', async () => {
    const { launch, calls } = await setUp({});
    launch.getState().setValue('cpus', 99);
    assert.equal(await launch.getState().submit(), null);
    assert.equal(calls.includes('sessions.launch'), false);
    assert.match(launch.getState().errors().cpus, /at most 8/);
  });

  it('shows nothing before a field is touched or a launch is tried', async () => {
    const { launch } = await setUp({});
    launch.getState().choose('hpc1', 'vnc-desktop', {});
    assert.deepEqual(launch.getState().errors(), {});
  });

  it('puts the session in the list at once and closes the form', async () => {
    const { launch, sessions } = await setUp({
      'sessions.launch': (cluster, templateId, values) => session({ cluster, templateId, values, state: 'submitted' }),
    });
    const launched = await launch.getState().submit();
    assert.equal(launched?.state, 'submitted');
    assert.ok(sessions.getState().sessions['hpc1/s1']);
    assert.equal(launch.getState().templateId, undefined);
  });

  it("shows the agent's refusal next to the field it names", async () => {
    const { launch } = await setUp({
      'sessions.launch': () => {
        throw new ApiCallError({ message: "Memory (GB) 16 is more than partition 'cpu' allows today", field: 'memoryGb' });
      },
    });
    assert.equal(await launch.getState().submit(), null);
    assert.match(launch.getState().errors().memoryGb, /allows today/);
    assert.equal(launch.getState().templateId, 'vnc-desktop');
  });
});

describe('sessions store', () => {
  it('drops a cached session its cluster no longer lists, so it never looks live', async () => {
    const { link } = recordingLink({ 'sessions.list': () => [session({ id: 's2' })] });
    const sessions = createSessionsStore(
      link,
      () => 5000,
      () => undefined,
    );
    sessions.getState().seedCached([{ session: session({ id: 's1', state: 'ready' }), lastSeenAt: 10 }]);
    await sessions.getState().refresh('hpc1');
    assert.deepEqual(Object.keys(sessions.getState().sessions), ['hpc1/s2']);
    assert.equal(sessions.getState().liveSince.hpc1, 5000);
  });

  it('remembers when each state was first seen, for the launch steps', () => {
    let now = 100;
    const { link } = recordingLink({});
    const sessions = createSessionsStore(
      link,
      () => now,
      () => undefined,
    );
    sessions.getState().apply([session({ state: 'submitted' })]);
    now = 250;
    sessions.getState().apply([session({ state: 'queued' })]);
    now = 400;
    sessions.getState().apply([session({ state: 'queued' })]);
    sessions.getState().apply([session({ state: 'ready' })]);
    assert.deepEqual(sessions.getState().seenAt['hpc1/s1'], { submitted: 100, queued: 250, ready: 400 });
    // One first met when already running gives no step times.
    sessions.getState().apply([session({ id: 's9', state: 'ready' })]);
    assert.deepEqual(sessions.getState().seenAt['hpc1/s9'], {});
  });

  it('keeps a session ended when a late answer still says it runs', () => {
    const { link } = recordingLink({});
    const sessions = createSessionsStore(
      link,
      () => 1,
      () => undefined,
    );
    sessions.getState().apply([session({ state: 'ended', end: 'cancelled' })]);
    sessions.getState().apply([session({ state: 'ready' })]);
    assert.equal(sessions.getState().sessions['hpc1/s1'].state, 'ended');
  });
});
