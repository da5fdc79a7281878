// The app's one log: every line main writes (the PortholeApp, the web host, the Electron shell)
// goes, timestamped and without secrets, to a rotated file a person can find and attach to a
// bug report, and to stderr for whoever started the app from a terminal.
import { join } from 'node:path';
import { redactLine } from './redact';
import { RotatingLogFile } from './rotating-file';

export interface AppLog {
  (line: string): void;
  /** The file being written: `<dir>/porthole.log`. */
  readonly file: string;
  /** A value (a token the app made) never to appear in the log, whatever line quotes it. */
  hide(secret: string): void;
}

export interface AppLogOptions {
  dir: string;
  /** Where each line also goes (stderr); none in tests. */
  echo?: (line: string) => void;
  now?: () => Date;
  maxBytes?: number;
  keep?: number;
}

/** Enough for days of a busy app's lines, small enough to attach to an issue. */
const DEFAULT_MAX_BYTES = 1024 * 1024;
const DEFAULT_KEEP = 3;

/** `porthole serve`'s log folder: the config folder's logs/ (Electron's is app.getPath('logs')). */
export function serveLogDir(configRoot: string): string {
  return join(configRoot, 'logs');
}

export function openAppLog(options: AppLogOptions): AppLog {
  const file = new RotatingLogFile({
    dir: options.dir,
    name: 'porthole',
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    keep: options.keep ?? DEFAULT_KEEP,
  });
  const now = options.now ?? (() => new Date());
  const secrets: string[] = [];
  let writeFailed = false;
  const log = (line: string): void => {
    const clean = redactLine(line, secrets);
    options.echo?.(clean);
    try {
      file.append(`${now().toISOString()} ${clean}`);
    } catch (error) {
      // A full disk must not stop the app; say it once, where the person can see it.
      if (!writeFailed) options.echo?.(`cannot write the log ${file.file}: ${(error as Error).message}`);
      writeFailed = true;
    }
  };
  return Object.assign(log, { file: file.file, hide: (secret: string) => void secrets.push(secret) });
}
