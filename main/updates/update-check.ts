// Whether, and how, the app looks for a newer release (GitHub releases, electron-builder.yml's
// `publish`). electron-updater does the looking; the Electron shell passes its autoUpdater in,
// so this module neither imports Electron nor needs electron-updater to be tested.
import { join } from 'node:path';

/** What the app uses of electron-updater's autoUpdater. */
export interface Updater {
  checkForUpdatesAndNotify(): Promise<unknown>;
}

export interface UpdateSurroundings {
  host: 'electron' | 'serve';
  /** Electron's app.isPackaged: a checkout has no release to compare with. */
  isPackaged: boolean;
  /** Packaged around build/dist.mjs's stand-in instead of Electron (see builtAroundStandIn). */
  standIn: boolean;
  env: NodeJS.ProcessEnv;
}

export type UpdateCheckDecision = { check: true } | { check: false; why: string };

/** A site (or a person) turns the check off with PORTHOLE_UPDATES=off. */
export const UPDATES_SWITCH = 'PORTHOLE_UPDATES';

/** The file build/dist.mjs leaves beside the executable of a package built around its stand-in. */
export function builtAroundStandIn(execPath: string, exists: (path: string) => boolean): boolean {
  return exists(join(execPath, '..', 'NOT-ELECTRON-STAND-IN.txt'));
}

export function updateCheckDecision({ host, isPackaged, standIn, env }: UpdateSurroundings): UpdateCheckDecision {
  const setting = env[UPDATES_SWITCH];
  if (setting !== undefined && setting !== 'on' && setting !== 'off') {
    return { check: false, why: `${UPDATES_SWITCH} is '${setting}', which is neither 'on' nor 'off'; not checking for updates` };
  }
  if (setting === 'off') return { check: false, why: `${UPDATES_SWITCH}=off` };
  // A browser's page is served by whatever Porthole the person ran: npm or their package manager updates it.
  if (host === 'serve') return { check: false, why: 'porthole serve is updated with the checkout or package that runs it' };
  if (standIn) return { check: false, why: 'this package was built around a stand-in, not Electron' };
  if (!isPackaged) return { check: false, why: 'not a packaged release' };
  return { check: true };
}

/** Looks once; a failure (offline, no release yet) is logged and the app carries on. */
export async function checkForUpdates(
  decision: UpdateCheckDecision,
  loadUpdater: () => Promise<Updater>,
  log: (line: string) => void,
): Promise<void> {
  if (!decision.check) return log(`update check off: ${decision.why}`);
  try {
    const updater = await loadUpdater();
    await updater.checkForUpdatesAndNotify();
  } catch (error) {
    log(`update check failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
