// A log file that never grows past a size: when the next line would pass it, porthole.log
// becomes porthole.1.log, the older ones move up one, and the oldest beyond `keep` is dropped.
// Writes are synchronous so that the lines just before a crash or an exit are in the file.
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface RotatingFileOptions {
  dir: string;
  /** The file's name without `.log`. */
  name: string;
  maxBytes: number;
  /** How many older files to keep beside the current one. */
  keep: number;
}

export class RotatingLogFile {
  readonly file: string;
  private size: number;

  constructor(private readonly options: RotatingFileOptions) {
    mkdirSync(options.dir, { recursive: true });
    this.file = this.nth(0);
    this.size = fileSize(this.file);
  }

  append(line: string): void {
    const bytes = Buffer.byteLength(line) + 1;
    if (this.size > 0 && this.size + bytes > this.options.maxBytes) this.rotate();
    appendFileSync(this.file, `${line}\n`, { mode: 0o600 });
    this.size += bytes;
  }

  private rotate(): void {
    // The move onto porthole.<keep>.log replaces the oldest one.
    for (let n = this.options.keep - 1; n >= 0; n--) renameIfThere(this.nth(n), this.nth(n + 1));
    this.size = 0;
  }

  /** porthole.log, porthole.1.log, porthole.2.log… */
  private nth(n: number): string {
    return join(this.options.dir, n === 0 ? `${this.options.name}.log` : `${this.options.name}.${n}.log`);
  }
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function renameIfThere(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
