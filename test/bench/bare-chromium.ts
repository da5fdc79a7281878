// Debian's Chromium as a person runs Porthole in it: no DevTools client recording the page while
// a figure is timed. Playwright enables the Network domain on every page it drives, and Chromium
// then hands it a base64 copy of every WebSocket frame: a viewer stream that Chromium reads at
// 100–155 MiB/s on its own came in at 14 MiB/s with Playwright attached (256 MiB through the
// bridge, this machine). So timed steps run through Runtime.evaluate alone on a plain DevTools
// connection that enables no domain, and Playwright is attached (connectOverCDP) only for the
// untimed steps in between, then detached, which turns its domains off again.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { WebSocket } from 'ws';
import { onWorkstationCpu } from './cpu-split';

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

interface CdpReply {
  id: number;
  result?: { result?: { value?: unknown }; exceptionDetails?: { exception?: { description?: string }; text?: string } };
  error?: { message: string };
}

export class BareChromium {
  private nextId = 0;
  private readonly waiting = new Map<number, (reply: CdpReply) => void>();

  private constructor(
    private readonly child: ChildProcess,
    private readonly profile: string,
    private readonly browserUrl: string,
    private readonly pageSocket: WebSocket,
  ) {
    pageSocket.on('message', (data: Buffer) => {
      const reply = JSON.parse(data.toString()) as CdpReply;
      this.waiting.get(reply.id)?.(reply);
      this.waiting.delete(reply.id);
    });
  }

  /**
   * Headless Chromium with one blank page of `width`×`height`; with `workstationCpu`, all its
   * processes on the workstation's CPU of the bench's two-machine split (cpu-split.ts).
   */
  static async launch(width: number, height: number, options: { workstationCpu?: boolean } = {}): Promise<BareChromium> {
    const profile = mkdtempSync(join(tmpdir(), 'porthole-bench-chromium-'));
    // A process group of its own: close() stops Chromium's helpers with it, by its PID.
    const command = '/usr/bin/chromium';
    const args = [
      '--headless=new',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      `--window-size=${width},${height}`,
      ...FLAGS,
      'about:blank',
    ];
    // taskset execs Chromium: the PID and process group stay Chromium's.
    const [file, argv] = options.workstationCpu ? onWorkstationCpu(command, args) : [command, args];
    const child = spawn(file, argv, {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    const browserUrl = await new Promise<string>((resolve, reject) => {
      let stderr = '';
      const timer = setTimeout(() => reject(new Error(`Chromium did not open its DevTools port within 20 s: ${stderr}`)), 20_000);
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const found = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
        if (found) {
          clearTimeout(timer);
          resolve(found[1]);
        }
      });
      child.once('exit', (code) => reject(new Error(`Chromium exited (${code}) before opening its DevTools port: ${stderr}`)));
    });
    const targets = (await (await fetch(new URL('/json/list', browserUrl.replace(/^ws/, 'http')))).json()) as {
      type: string;
      webSocketDebuggerUrl: string;
    }[];
    const page = targets.find((target) => target.type === 'page');
    if (!page) throw new Error('Chromium opened no page');
    const pageSocket = new WebSocket(page.webSocketDebuggerUrl, { perMessageDeflate: false });
    await new Promise((resolve, reject) => pageSocket.once('open', resolve).once('error', reject));
    return new BareChromium(child, profile, browserUrl, pageSocket);
  }

  /** Chromium's PID, which is also its process group's (its helpers'). */
  get pid(): number {
    return this.child.pid!;
  }

  /** Runs `fn(arg)` in the page and gives its (JSON) result; nothing else is asked of the page. */
  async evaluate<A, R>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R> {
    // tsx compiles with keepNames: the function's source may call esbuild's __name helper.
    const expression = `(globalThis.__name ??= (target) => target, (${fn.toString()})(${JSON.stringify(arg ?? null)}))`;
    const reply = await this.call('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    const thrown = reply.result?.exceptionDetails;
    if (reply.error || thrown) throw new Error(`In the page: ${reply.error?.message ?? thrown?.exception?.description ?? thrown?.text}`);
    return reply.result?.result?.value as R;
  }

  /**
   * Presses and releases one key as the keyboard would (CDP Input, which needs no domain
   * enabled): `x` types a character, `Backspace` is a key without one.
   */
  async pressKey(key: 'x' | 'Backspace'): Promise<void> {
    const event = key === 'x' ? { key, code: 'KeyX', windowsVirtualKeyCode: 88, text: 'x' } : { key, code: key, windowsVirtualKeyCode: 8 };
    await this.call('Input.dispatchKeyEvent', { type: key === 'x' ? 'keyDown' : 'rawKeyDown', ...event });
    await this.call('Input.dispatchKeyEvent', { type: 'keyUp', ...event, text: undefined });
  }

  /** Playwright on the same page for untimed steps; detached again when `steps` ends. */
  async withPlaywright<T>(steps: (page: Page) => Promise<T>): Promise<T> {
    const browser = await chromium.connectOverCDP(this.browserUrl);
    try {
      const [page] = browser.contexts()[0].pages();
      return await steps(page);
    } finally {
      await browser.close();
    }
  }

  async close(): Promise<void> {
    this.pageSocket.close();
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      process.kill(-this.child.pid!, 'SIGTERM');
      await exited;
    }
    // Helpers may still be writing the profile for a moment after the browser exits.
    rmSync(this.profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }

  private call(method: string, params: object): Promise<CdpReply> {
    const id = ++this.nextId;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.pageSocket.send(JSON.stringify({ id, method, params }));
    });
  }
}
