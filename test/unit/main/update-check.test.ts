import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { builtAroundStandIn, checkForUpdates, updateCheckDecision, type UpdateSurroundings } from '../../../main/updates/update-check';

const release: UpdateSurroundings = { host: 'electron', isPackaged: true, standIn: false, env: {} };

describe('Update check', () => {
  it('looks for a new release in a packaged Electron app', () => {
    assert.deepEqual(updateCheckDecision(release), { check: true });
    assert.deepEqual(updateCheckDecision({ ...release, env: { PORTHOLE_UPDATES: 'on' } }), { check: true });
  });

  it('stays off in porthole serve, in a checkout and around the stand-in', () => {
    assert.match(decisionWhy({ ...release, host: 'serve' }), /porthole serve/);
    assert.match(decisionWhy({ ...release, isPackaged: false }), /not a packaged release/);
    assert.match(decisionWhy({ ...release, standIn: true }), /stand-in/);
  });

  it('stays off where a site set PORTHOLE_UPDATES=off, and says what is allowed for another value', () => {
    assert.equal(decisionWhy({ ...release, env: { PORTHOLE_UPDATES: 'off' } }), 'PORTHOLE_UPDATES=off');
    assert.equal(
      decisionWhy({ ...release, env: { PORTHOLE_UPDATES: 'no' } }),
      "PORTHOLE_UPDATES is 'no', which is neither 'on' nor 'off'; not checking for updates",
    );
  });

  it('knows a package built around the stand-in by the notice build/dist.mjs leaves beside the executable', () => {
    const exists = (path: string) => path === '/opt/Porthole/NOT-ELECTRON-STAND-IN.txt';
    assert.equal(builtAroundStandIn('/opt/Porthole/porthole', exists), true);
    assert.equal(builtAroundStandIn('/usr/lib/porthole/porthole', exists), false);
  });

  it('asks the updater only when on, and logs a failed check instead of stopping the app', async () => {
    const lines: string[] = [];
    let asked = 0;
    const updater = async () => ({ checkForUpdatesAndNotify: async () => void asked++ });
    await checkForUpdates(updateCheckDecision({ ...release, host: 'serve' }), updater, (l) => lines.push(l));
    assert.equal(asked, 0);
    await checkForUpdates(updateCheckDecision(release), updater, (l) => lines.push(l));
    assert.equal(asked, 1);
    const offline = async () => ({ checkForUpdatesAndNotify: () => Promise.reject(new Error('net::ERR_INTERNET_DISCONNECTED')) });
    await checkForUpdates(updateCheckDecision(release), offline, (l) => lines.push(l));
    assert.deepEqual(lines, [
      'update check off: porthole serve is updated with the checkout or package that runs it',
      'update check failed: net::ERR_INTERNET_DISCONNECTED',
    ]);
  });
});

function decisionWhy(surroundings: UpdateSurroundings): string {
  const decision = updateCheckDecision(surroundings);
  assert.equal(decision.check, false);
  return decision.check ? '' : decision.why;
}
