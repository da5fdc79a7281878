// How long a person waits for the app: `porthole start` (which runs `serve` where Electron's
// binary is missing, as here) until the first window content, the Clusters view, is drawn in
// Debian's Chromium. Chromium is started once beforehand, as a person's browser already runs;
// each run is a fresh install (its own PORTHOLE_HOME and HOME), so nothing is cached but the OS's
// file cache.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { tempDir } from '../cluster/fixture';
import { BareChromium } from './bare-chromium';
import { median, type Bench } from './figures';

const RUNS = 5;
/** What the functions run in the page use of it; this Node project has no DOM types. */
interface PageGlobals {
  location: { href: string };
  document: { querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> };
}
const cli = join(__dirname, '../../dist/main/cli.cjs');

const bench: Bench = async (context) => {
  const browser = await BareChromium.launch(1280, 800);
  try {
    const toAddress: number[] = [];
    const toContent: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const { address, content } = await startOnce(browser);
      toAddress.push(address);
      toContent.push(content);
    }
    context.note(
      `${RUNS} starts, each a fresh PORTHOLE_HOME; Chromium already running. All runs (ms): ${toContent.map(Math.round).join(', ')}`,
    );
    context.figure({ name: 'porthole start → address printed (median)', value: median(toAddress), unit: 'ms' });
    context.figure({
      name: 'porthole start → first window content through serve (median)',
      value: median(toContent),
      unit: 'ms',
      goal: '< 1000 ms',
    });
  } finally {
    await browser.close();
  }
};
export default bench;

async function startOnce(browser: BareChromium): Promise<{ address: number; content: number }> {
  const home = tempDir('start-bench');
  const started = performance.now();
  const child = spawn(process.execPath, [cli, 'start', '--port', '0'], {
    env: { ...process.env, HOME: home, PORTHOLE_HOME: join(home, 'porthole') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await printedAddress(child.stdout);
    const address = performance.now() - started;
    await browser.evaluate((to: string) => void ((globalThis as unknown as PageGlobals).location.href = to), url);
    // The page is being replaced: until the new one answers, an evaluation may fail; try again.
    for (;;) {
      const drawn = await browser
        .evaluate(() =>
          Array.from((globalThis as unknown as PageGlobals).document.querySelectorAll('h1, h2')).some(
            (heading) => heading.textContent?.trim() === 'Clusters',
          ),
        )
        .catch(() => false);
      if (drawn) break;
      if (performance.now() - started > 20_000) throw new Error(`no Clusters view 20 s after porthole start (${url})`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return { address, content: performance.now() - started };
  } finally {
    if (child.exitCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
  }
}

function printedAddress(stdout: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`porthole start printed no address within 20 s: ${text}`)), 20_000);
    stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const found = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(text);
      if (found) {
        clearTimeout(timer);
        resolve(found[0]);
      }
    });
  });
}
