// The idle stop as the agent sees it: the job watcher's idle-state file folded into the session
// (a coming stop while ready, `Ended — idle` after), Keep running hiding the warning at once, and
// where the idle minutes come from (template.json, site.json, overrides) with the errors for bad ones.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadAgentConfig } from '../../../agent/agent-config';
import { buildBatchScript } from '../../../agent/batch-script';
import { idleMinutesFor } from '../../../agent/idle-minutes';
import { IDLE_STATE_FILE, KEEP_RUNNING_FILE, parseIdleState, readIdleState } from '../../../agent/idle-state-file';
import { deriveSession, sessionChanged, type SessionFolderFacts, type SessionRecord } from '../../../agent/session-state';
import { buildCatalog } from '../../../agent/template-loader';
import { applySiteChoices } from '../../../agent/template-overrides';
import { checkTemplateJson } from '../../../agent/template-schema';
import { tempDir } from '../../cluster/fixture';
import { shippedJobLibrary, shippedTemplate } from './fixtures';

const root = tempDir('idle-stop');

const record: SessionRecord = { id: 's1', templateId: 'vnc-desktop', jobId: '7', values: {}, submittedAt: '2026-11-23T00:00:00.000Z' };
const now = new Date('2026-11-23T00:30:00.000Z');
const readyFolder: SessionFolderFacts = { connectionReady: true, logTail: '' };
const running = { queued: { jobId: '7', state: 'RUNNING', reason: 'None', nodes: 'node01', name: 'porthole-s1' } };
const stopAt = '2026-11-23T00:40:00.000Z';
const stopped = { stopped: true, at: '2026-11-23T00:40:00.000Z', minutes: 60 };

describe('an idle desktop as the session shows it', () => {
  it('carries the coming stop while ready, and announces it and its end as changes', () => {
    const ready = deriveSession(record, running, readyFolder, now);
    const warned = deriveSession(record, running, { ...readyFolder, idle: { stopped: false, at: stopAt, minutes: 60 } }, now);
    assert.equal(ready.idleStopAt, undefined);
    assert.equal(warned.state, 'ready');
    assert.equal(warned.idleStopAt, stopAt);
    assert.equal(sessionChanged(ready, warned), true, 'the warning is a session.changed');
    assert.equal(sessionChanged(warned, ready), true, 'so is its end');
  });

  it('ends as idle, with the minutes in its reason, however Slurm reports the stopped job', () => {
    const folder = { ...readyFolder, idle: stopped, ended: { exitCode: 143 } };
    for (const state of ['FAILED', 'CANCELLED', 'COMPLETED']) {
      const session = deriveSession(record, { shown: { ...running.queued, state, exitCode: '0:15' } }, folder, now);
      assert.equal(session.end, 'idle', state);
      assert.match(session.reason ?? '', /after 60 minutes with no viewer connected and no input/);
      assert.equal(session.idleStopAt, undefined);
    }
    assert.equal(deriveSession(record, {}, folder, now).end, 'idle', 'from the folder when Slurm forgot the job');
  });

  it('stays a cancel the user asked for, or a time limit Slurm reached', () => {
    const folder = { ...readyFolder, idle: stopped, ended: { exitCode: 143 } };
    const cancelled = { ...record, cancelRequestedAt: '2026-11-23T00:39:59.000Z' };
    assert.equal(
      deriveSession(cancelled, { shown: { ...running.queued, state: 'CANCELLED', exitCode: '0:15' } }, folder, now).end,
      'cancelled',
    );
    assert.equal(deriveSession(cancelled, {}, folder, now).end, 'cancelled');
    assert.equal(deriveSession(record, { shown: { ...running.queued, state: 'TIMEOUT', exitCode: '0:15' } }, folder, now).end, 'timeout');
  });
});

describe('the idle-state file', () => {
  it("reads the watcher's two lines and nothing else", () => {
    assert.deepEqual(parseIdleState('warning 2026-11-23T00:40:00Z 60\n'), { stopped: false, at: stopAt, minutes: 60 });
    assert.deepEqual(parseIdleState('stopped 2026-11-23T00:40:00Z 60\n'), stopped);
    for (const text of [undefined, '', 'warning soon 60', 'paused 2026-11-23T00:40:00Z 60', 'warning 2026-11-23T00:40:00Z'])
      assert.equal(parseIdleState(text), undefined, String(text));
  });

  it('hides a warning older than the last Keep running, never a stop', () => {
    const dir = join(root, 'session');
    mkdirSync(dir, { recursive: true });
    const write = (name: string, text: string, secondsAgo: number) => {
      writeFileSync(join(dir, name), text);
      const at = new Date(Date.now() - secondsAgo * 1000);
      utimesSync(join(dir, name), at, at);
    };
    write(IDLE_STATE_FILE, 'warning 2026-11-23T00:40:00Z 60\n', 20);
    assert.equal(readIdleState(dir)?.at, stopAt);
    write(KEEP_RUNNING_FILE, 'x\n', 10);
    assert.equal(readIdleState(dir), undefined, 'kept running after the warning');
    write(IDLE_STATE_FILE, 'warning 2026-11-23T00:50:00Z 60\n', 5);
    assert.equal(readIdleState(dir)?.at, '2026-11-23T00:50:00.000Z', 'a warning after the keep shows again');
    write(IDLE_STATE_FILE, 'stopped 2026-11-23T00:40:00Z 60\n', 20);
    assert.deepEqual(readIdleState(dir), stopped);
  });
});

describe('the idle minutes of a session', () => {
  const desktop = shippedTemplate('vnc-desktop').file;

  it('is off by default, the shorter of the template and the site, and the site only on its partitions', () => {
    assert.equal(idleMinutesFor(desktop, { partition: 'gpu' }, undefined), undefined);
    assert.equal(idleMinutesFor({ ...desktop, idle: { minutes: 90 } }, {}, undefined), 90);
    assert.equal(idleMinutesFor({ ...desktop, idle: { minutes: 90 } }, {}, { minutes: 30 }), 30);
    assert.equal(idleMinutesFor({ ...desktop, idle: { minutes: 20 } }, {}, { minutes: 30 }), 20);
    const gpuOnly = { minutes: 30, partitions: ['gpu'] };
    assert.equal(idleMinutesFor(desktop, { partition: 'gpu' }, gpuOnly), 30);
    assert.equal(idleMinutesFor(desktop, { partition: 'cpu' }, gpuOnly), undefined);
    assert.equal(idleMinutesFor(desktop, {}, gpuOnly), undefined, 'no partition chosen: not known to be a GPU one');
  });

  it('reaches the job as PORTHOLE_IDLE_MINUTES, empty when off', () => {
    const script = (idleMinutes?: number) =>
      buildBatchScript({
        template: desktop,
        jobScript: '#!/bin/bash\n',
        jobLibrary: shippedJobLibrary,
        values: {},
        sessionId: 's1',
        sessionDir: '/home/u/.porthole/sessions/s1',
        vncListen: 'socket',
        idleMinutes,
      });
    assert.match(script(45), /^PORTHOLE_IDLE_MINUTES='45'$/m);
    assert.match(script(), /^PORTHOLE_IDLE_MINUTES=''$/m);
  });
});

describe('idle minutes in the configuration files', () => {
  const siteFile = join(root, 'site.json');
  const home = join(root, 'home');
  mkdirSync(join(home, '.porthole'), { recursive: true });
  const env = { PORTHOLE_SITE_FILE: siteFile };
  const userFile = join(home, '.porthole', 'agent.json');
  const sources = ['vnc-desktop', 'xterm'].map((id) => {
    const { file, jobScript } = shippedTemplate(id);
    return { dir: `/templates/${id}`, templateJson: JSON.stringify(file), jobScript };
  });
  const catalogWith = (site: unknown, user?: unknown) => {
    writeFileSync(siteFile, JSON.stringify(site, null, 2));
    if (user === undefined) rmSync(userFile, { force: true });
    else writeFileSync(userFile, JSON.stringify(user, null, 2));
    return applySiteChoices(buildCatalog([{ source: 'builtin', templates: sources }]), loadAgentConfig(home, env));
  };

  it("takes site.json's idle stop, and names the file, line, column and rule of a bad one", () => {
    writeFileSync(siteFile, JSON.stringify({ idle: { minutes: 60, partitions: ['gpu'] } }));
    assert.deepEqual(loadAgentConfig(home, env).idle, { minutes: 60, partitions: ['gpu'] });
    writeFileSync(siteFile, '{\n  "idle": {\n    "minutes": 0.5\n  }\n}\n');
    assert.throws(
      () => loadAgentConfig(home, env),
      new RegExp(`${siteFile}:3:5: idle\\.minutes: 0\\.5 is not allowed; whole minutes from 1 to 10080`),
    );
    writeFileSync(siteFile, '{\n  "idle": {\n    "minutes": 30,\n    "partition": ["gpu"]\n  }\n}\n');
    assert.throws(() => loadAgentConfig(home, env), /site\.json:4:5: idle\.partition: .*the options here are: minutes, partitions$/);
  });

  it("sets one template's idle stop from a site override; a user may shorten it, not lengthen it", () => {
    const site = { overrides: { xterm: { idle: { minutes: 60 } } } };
    assert.equal(catalogWith(site).templates.get('xterm')?.file.idle?.minutes, 60);
    assert.equal(catalogWith(site).templates.get('vnc-desktop')?.file.idle, undefined);
    assert.equal(catalogWith(site, { overrides: { xterm: { idle: { minutes: 15 } } } }).templates.get('xterm')?.file.idle?.minutes, 15);
    assert.throws(
      () => catalogWith(site, { overrides: { xterm: { idle: { minutes: 240 } } } }),
      /agent\.json:5:9: overrides\.xterm\.idle\.minutes: 240 is not allowed; agent\.json may make the idle stop shorter, not longer: .*60 minutes/,
    );
    rmSync(userFile, { force: true });
  });

  it('names the line and column of a bad idle in template.json', () => {
    const text = JSON.stringify({ ...shippedTemplate('xterm').file, idle: { minutes: -5 } }, null, 2);
    const checked = checkTemplateJson(text, 'mine/template.json');
    assert.equal(checked.template, undefined);
    const line = text.split('\n').findIndex((l) => l.includes('"minutes": -5')) + 1;
    assert.deepEqual(
      checked.problems.map((p) => `${p.line}:${p.column}: ${p.message}`),
      [`${line}:5: idle.minutes: whole minutes from 1 to 10080 (a week)`],
    );
  });
});
