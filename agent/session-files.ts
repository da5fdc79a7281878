// The session folders on the shared home (docs/architecture.md §4): ~/.porthole/sessions/<id>/ at 0700,
// secrets at 0600, every state file written atomically (temporary file, then rename).
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { SESSION_ID_PATTERN, SESSION_ID_RULE } from './common/session-id';
import { NotFoundError } from './errors';
import { readIdleState } from './idle-state-file';
import type { SessionRecord, SessionFolderFacts } from './session-state';

export const SESSION_FILES = {
  record: 'session.json',
  script: 'job.sh',
  log: 'output.log',
  connection: 'connection.json',
  ended: 'ended',
  password: 'vnc-password',
  /** TigerVNC's view-only password (the second half of vnc.passwd): what a share's server signs in with. */
  viewOnlyPassword: 'vnc-view-password',
  /** Sunshine's web-UI user and password, one a line; the job hashes them for Sunshine. */
  sunshineCredentials: 'sunshine-credentials',
} as const;

/**
 * What opens a session's desktop and is of no use once it ended: the VNC password (and the job's
 * vncpasswd copy), the X cookie (the job removes it too, but not when it was killed), Sunshine's
 * web-UI credentials and their hash. Removed at the end, so an old folder is no key to anything.
 */
export const SESSION_SECRET_FILES = [
  SESSION_FILES.password,
  SESSION_FILES.viewOnlyPassword,
  'vnc.passwd',
  'xauthority',
  SESSION_FILES.sunshineCredentials,
  'sunshine-web-credentials.json',
] as const;

export class SessionFiles {
  readonly sessionsDir: string;

  constructor(readonly home: string) {
    this.sessionsDir = join(home, '.porthole', 'sessions');
  }

  dirOf(id: string): string {
    if (!SESSION_ID_PATTERN.test(id)) throw new NotFoundError(`There is no session '${id}': ${SESSION_ID_RULE}.`);
    return join(this.sessionsDir, id);
  }

  create(id: string): string {
    mkdirSync(this.sessionsDir, { recursive: true, mode: 0o700 });
    const dir = this.dirOf(id);
    mkdirSync(dir, { mode: 0o700 });
    chmodSync(dir, 0o700);
    return dir;
  }

  /** The folders named like a session, with one readdir: a launch may still be filling one in. */
  folderNames(): string[] {
    if (!existsSync(this.sessionsDir)) return [];
    return readdirSync(this.sessionsDir).filter((name) => SESSION_ID_PATTERN.test(name));
  }

  hasRecord(id: string): boolean {
    return existsSync(join(this.sessionsDir, id, SESSION_FILES.record));
  }

  readRecord(id: string): SessionRecord {
    const file = join(this.dirOf(id), SESSION_FILES.record);
    if (!existsSync(file))
      throw new NotFoundError(`There is no session '${id}' in ${this.sessionsDir}; \`list --all\` shows the sessions there are.`);
    return JSON.parse(readFileSync(file, 'utf8')) as SessionRecord;
  }

  writeRecord(record: SessionRecord): void {
    writeAtomic(join(this.dirOf(record.id), SESSION_FILES.record), JSON.stringify(record, null, 2) + '\n', 0o600);
  }

  write(id: string, name: string, text: string, mode = 0o600): void {
    writeAtomic(join(this.dirOf(id), name), text, mode);
  }

  read(id: string, name: string): string | undefined {
    const file = join(this.dirOf(id), name);
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  }

  folderFacts(id: string, logLines = 12): SessionFolderFacts {
    const endedText = this.read(id, SESSION_FILES.ended);
    let ended: SessionFolderFacts['ended'];
    if (endedText !== undefined) {
      const [code, at] = endedText.trim().split(/\s+/);
      ended = {
        exitCode: /^\d+$/.test(code ?? '') ? Number(code) : 1,
        at: at && !Number.isNaN(Date.parse(at)) ? new Date(at).toISOString() : undefined,
      };
    }
    const connection = statSync(join(this.dirOf(id), SESSION_FILES.connection), { throwIfNoEntry: false });
    return {
      connectionReady: connection !== undefined,
      readyAt: connection?.mtime.toISOString(),
      ended,
      logTail: this.logTail(id, logLines),
      idle: readIdleState(this.dirOf(id)),
    };
  }

  /** Called once a session has ended for good. */
  removeSecrets(id: string): void {
    const dir = this.dirOf(id);
    for (const name of SESSION_SECRET_FILES) rmSync(join(dir, name), { force: true });
  }

  /** The whole folder of a session that ended long ago (site.json's sessions.folderDaysAfterEnd). */
  removeFolder(id: string): void {
    rmSync(this.dirOf(id), { recursive: true, force: true });
  }

  /** The last `lines` lines of output.log, reading at most the last 64 KiB. */
  logTail(id: string, lines: number): string {
    const file = join(this.dirOf(id), SESSION_FILES.log);
    if (!existsSync(file)) return '';
    const fd = openSync(file, 'r');
    try {
      const size = fstatSync(fd).size;
      const length = Math.min(size, 65_536);
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, size - length);
      return buffer
        .toString('utf8')
        .split('\n')
        .filter((line, i, all) => line !== '' || i < all.length - 1)
        .slice(-lines)
        .join('\n');
    } finally {
      closeSync(fd);
    }
  }
}

export function writeAtomic(file: string, text: string, mode: number): void {
  const temporary = `${file}.tmp-${randomBytes(4).toString('hex')}`;
  writeFileSync(temporary, text, { mode });
  chmodSync(temporary, mode);
  renameSync(temporary, file);
}

/** `20261123-004212-k3x9` style: sortable by time, short, safe in a shell word and a path. */
export function newSessionId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const random = [...randomBytes(5)].map((b) => alphabet[b % alphabet.length]).join('');
  return `${stamp}-${random}`;
}

const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

function randomWord(length: number): string {
  return [...randomBytes(length)].map((b) => PASSWORD_ALPHABET[b % PASSWORD_ALPHABET.length]).join('');
}

/** A VNC password: 8 characters, because VncAuth only uses 8. */
export function newVncPassword(): string {
  return randomWord(8);
}

/** The sunshine-credentials file: a fresh user and a 24-character password for each session. */
export function newSunshineCredentials(): string {
  return `porthole-${randomWord(6).toLowerCase()}\n${randomWord(24)}\n`;
}
