// The site metrics from what the registry holds: counts a scraper reads, entries that are not
// ours left out, each session event counted once, and the --listen address an admin may give.
// The real Redis, promtool and Prometheus are in test/cluster/agent/metrics-prometheus.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { BadInputError } from '../../../agent/errors';
import { parseListenAddress } from '../../../agent/metrics-listen-address';
import { claimOnce, counterIncrements, sessionEventsDue, type SessionEvent } from '../../../agent/metrics-events';
import { siteMetricsText, type RegistrySnapshot } from '../../../agent/metrics';
import type { Session } from '../../../agent/protocol';

const labels = { template: 'vnc-desktop', partition: 'cpu', account: 'chem' };
const record = (state: Session['state'], extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ state, templateId: 'vnc-desktop', partition: 'cpu', account: 'chem', ...extra });
const countersOf = (events: SessionEvent[]): Record<string, string> =>
  Object.fromEntries([...counterIncrements(events)].map(([field, amount]) => [field, String(amount)]));
/** The value of each sample line, by its name and labels as printed. */
const samples = (text: string): Map<string, number> =>
  new Map(
    text
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.lastIndexOf(' ')), Number(line.slice(line.lastIndexOf(' ') + 1))]),
  );

describe('the site metrics', () => {
  it('counts live sessions by state, template, partition and account, and users with one', async () => {
    const snapshot: RegistrySnapshot = {
      sessions: [
        { user: 'alice', text: record('ready') },
        { user: 'alice', text: record('ready') },
        { user: 'bob', text: record('queued', { account: undefined }) },
        { user: 'carol', text: record('ended', { end: 'completed' }) },
      ],
      counters: [],
    };
    const shown = samples((await siteMetricsText(snapshot)).text);
    assert.equal(shown.get('porthole_sessions{state="ready",template="vnc-desktop",partition="cpu",account="chem"}'), 2);
    assert.equal(shown.get('porthole_sessions{state="queued",template="vnc-desktop",partition="cpu",account=""}'), 1);
    assert.ok(![...shown.keys()].some((name) => name.includes('state="ended"')), 'an ended session counts as live');
    assert.equal(shown.get('porthole_active_users'), 2);
  });

  it('adds up every user’s counters into launches, ends by how, and a cumulative ready-time histogram', async () => {
    const snapshot: RegistrySnapshot = {
      sessions: [],
      counters: [
        {
          user: 'alice',
          fields: countersOf([
            { kind: 'launch', labels },
            { kind: 'launch', labels },
            { kind: 'ready', seconds: 0.8, labels },
            { kind: 'end', end: 'failed', labels },
          ]),
        },
        {
          user: 'bob',
          fields: countersOf([
            { kind: 'launch', labels },
            { kind: 'ready', seconds: 45, labels },
          ]),
        },
      ],
    };
    const shown = samples((await siteMetricsText(snapshot)).text);
    assert.equal(shown.get('porthole_session_launches_total{template="vnc-desktop",partition="cpu",account="chem"}'), 3);
    assert.equal(shown.get('porthole_sessions_ended_total{end="failed",template="vnc-desktop",partition="cpu",account="chem"}'), 1);
    const bucket = (le: string): number | undefined =>
      shown.get(`porthole_session_ready_seconds_bucket{template="vnc-desktop",partition="cpu",le="${le}"}`);
    assert.deepEqual([bucket('1'), bucket('30'), bucket('60'), bucket('+Inf')], [1, 1, 2, 2]);
    assert.equal(shown.get('porthole_session_ready_seconds_sum{template="vnc-desktop",partition="cpu"}'), 45.8);
    assert.equal(shown.get('porthole_session_ready_seconds_count{template="vnc-desktop",partition="cpu"}'), 2);
  });

  it('leaves out and counts entries that are not ours, and never shows an account that is not a Slurm name', async () => {
    const snapshot: RegistrySnapshot = {
      sessions: [
        { user: 'mallory', text: 'not json' },
        { user: 'mallory', text: JSON.stringify({ state: 'hacked', templateId: 'x' }) },
        { user: 'alice', text: record('ready', { account: 'Ask me for the password' }) },
      ],
      counters: [{ user: 'mallory', fields: { '["launch","x"]': '1', 'free text': '1', '["launch","x","cpu",""]': '-5' } }],
    };
    const { text } = await siteMetricsText(snapshot);
    const shown = samples(text);
    assert.equal(shown.get('porthole_registry_unreadable_entries'), 5);
    assert.equal(shown.get('porthole_sessions{state="ready",template="vnc-desktop",partition="cpu",account=""}'), 1);
    assert.doesNotMatch(text, /password|hacked|porthole_session_launches_total\{/);
  });
});

describe('each session event, counted once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-metrics-events-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const session: Session = {
    id: '20261130-180000-abcde',
    templateId: 'vnc-desktop',
    jobId: '7',
    values: { partition: 'cpu', account: 'chem', title: 'My thesis' },
    state: 'ended',
    end: 'timeout',
    submittedAt: '2026-11-30T18:00:00.000Z',
    readyAt: '2026-11-30T18:00:02.500Z',
    endedAt: '2026-11-30T19:00:00.000Z',
  };

  it('counts the ready time and the end the first time, and nothing when another agent process claimed them', () => {
    const claim = (name: string): boolean => claimOnce(dir, name);
    assert.deepEqual(sessionEventsDue(session, true, claim), [
      { kind: 'ready', seconds: 2.5, labels },
      { kind: 'end', end: 'timeout', labels },
    ]);
    assert.deepEqual(sessionEventsDue(session, true, claim), []);
  });

  it('waits for an end to be settled before counting it', () => {
    const claimed: string[] = [];
    const events = sessionEventsDue({ ...session, readyAt: undefined }, false, (name) => (claimed.push(name), true));
    assert.deepEqual([events, claimed], [[], []]);
  });
});

describe('metrics --listen', () => {
  it('takes a loopback address and port', () => {
    assert.deepEqual(parseListenAddress('127.0.0.1:9464', false), { host: '127.0.0.1', port: 9464 });
    assert.deepEqual(parseListenAddress('[::1]:9464', false), { host: '::1', port: 9464 });
  });

  it('refuses an address other hosts reach unless --listen-public is given, and says why', () => {
    assert.throws(
      () => parseListenAddress('0.0.0.0:9464', false),
      (error: BadInputError) =>
        error.field === '--listen' &&
        /loopback address.*no password.*--listen-public/.test(error.message) &&
        error.given === '0.0.0.0:9464',
    );
    assert.deepEqual(parseListenAddress('0.0.0.0:9464', true), { host: '0.0.0.0', port: 9464 });
  });

  it('names the form it wants for an address it cannot read', () => {
    for (const text of ['9464', 'metrics.example:9464', '127.0.0.1:0', '127.0.0.1:70000', '::1:9464'])
      assert.throws(() => parseListenAddress(text, true), /--listen: .* is not allowed; an address and port, e\.g\. 127\.0\.0\.1:9464/);
  });
});
