// Finds the Moonlight client on this workstation: the path set in the settings first, then
// `moonlight` on PATH, the Flatpak, /Applications/Moonlight.app, Windows' Program Files.
// When there is none, the error says how to install it on this platform.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { PortholeError } from '../errors';

export interface MoonlightClient {
  /** The executable to run; Moonlight's own verbs (pair, list, stream) follow. */
  command: string;
}

export interface LocatorInput {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
  /** `moonlightPath` from the settings file, when a person set one. */
  configuredPath?: string;
  /** Where that setting lives, to say so in the advice. */
  settingsFile: string;
  /** For tests: whether a file is there and may be run. */
  isExecutable?: (file: string) => boolean;
}

const FLATPAK_ID = 'com.moonlight_stream.Moonlight';

export function locateMoonlight(input: LocatorInput): MoonlightClient {
  const isExecutable = input.isExecutable ?? executableOnDisk;
  if (input.configuredPath !== undefined) {
    if (isExecutable(input.configuredPath)) return { command: input.configuredPath };
    throw new PortholeError(
      `moonlightPath: '${input.configuredPath}' (in ${input.settingsFile}) ` +
        `is not a program this computer can run; ` +
        `give the path of the Moonlight executable, ` +
        `or remove the setting to look for it in the usual places.`,
      { field: 'moonlightPath' },
    );
  }
  const found = candidates(input).find(isExecutable);
  if (found) return { command: found };
  throw new PortholeError(
    `Moonlight is not installed on this computer ` +
      `(looked on PATH and in ${candidates({ ...input, env: { ...input.env, PATH: '' } }).join(', ') || 'nowhere else'}). ` +
      `${installAdvice(input.platform, input.settingsFile)}`,
    { field: 'moonlightPath' },
  );
}

function candidates(input: Pick<LocatorInput, 'platform' | 'env' | 'home'>): string[] {
  const { platform, env, home } = input;
  const onPath = (env.PATH ?? '').split(delimiter).filter(Boolean);
  if (platform === 'win32') {
    const programFiles = [env.ProgramFiles, env['ProgramFiles(x86)'], env.LOCALAPPDATA && join(env.LOCALAPPDATA, 'Programs')].filter(
      (dir): dir is string => !!dir,
    );
    return [
      ...onPath.map((dir) => join(dir, 'Moonlight.exe')),
      ...programFiles.map((dir) => join(dir, 'Moonlight Game Streaming', 'Moonlight.exe')),
    ];
  }
  if (platform === 'darwin') {
    return [
      ...onPath.map((dir) => join(dir, 'moonlight')),
      '/Applications/Moonlight.app/Contents/MacOS/Moonlight',
      join(home, 'Applications/Moonlight.app/Contents/MacOS/Moonlight'),
    ];
  }
  // Flatpak exports a launcher named after the app id; it takes Moonlight's arguments as they are.
  return [
    ...onPath.map((dir) => join(dir, 'moonlight')),
    join(home, '.local/share/flatpak/exports/bin', FLATPAK_ID),
    join('/var/lib/flatpak/exports/bin', FLATPAK_ID),
  ];
}

function installAdvice(platform: NodeJS.Platform, settingsFile: string): string {
  const settings = `or, if it is installed elsewhere, put its path as "moonlightPath" in ${settingsFile}.`;
  if (platform === 'win32')
    return `Install it from https://moonlight-stream.org (the Windows installer puts it in Program Files), ${settings}`;
  if (platform === 'darwin') return `Download it from https://moonlight-stream.org and move Moonlight.app to /Applications, ${settings}`;
  return `Install it with \`flatpak install flathub ${FLATPAK_ID}\` or your distribution's moonlight-qt package, ${settings}`;
}

function executableOnDisk(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
