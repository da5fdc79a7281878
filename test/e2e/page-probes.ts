// Functions that run inside the page for the UI bench (test/bench/ui.bench.ts): each measures
// with the page's own clock, so no round trip to the test process is counted. page.evaluate
// sends only a function's source, so each one is self-contained (no shared helpers).

/** Fills the app's IndexedDB history (renderer/history/history-db.ts) as months of use would. */
export async function seedHistory(rows: unknown[]): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open('porthole-history', 1);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const tx = db.transaction('sessions', 'readwrite');
  for (const row of rows) tx.objectStore('sessions').put(row);
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = reject;
  });
  db.close();
}

/** How long the app took to load its history cache at start (ms), once it has; else null. */
export function historyLoadMs(): number | null {
  return performance.getEntriesByName('porthole:history:load').at(-1)?.duration ?? null;
}

/** Click History → its rows are in the DOM with the full count loaded. */
export function timeHistoryRender(): Promise<number> {
  return new Promise((resolve) => {
    const link = Array.from(document.querySelectorAll('nav a')).find((a) => a.textContent === 'History') as HTMLAnchorElement;
    const started = performance.now();
    const observer = new MutationObserver(() => {
      if (document.querySelectorAll('[aria-label="History"] li').length === 0 || !/10000 sessions/.test(document.body.textContent ?? ''))
        return;
      observer.disconnect();
      requestAnimationFrame(() => resolve(performance.now() - started));
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    link.click();
  });
}

/** Type a query into Search history → the list shows the matches. */
export function timeHistorySearch(query: string): Promise<number> {
  return new Promise((resolve) => {
    const input = document.querySelector('input[type="search"]') as HTMLInputElement;
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    const started = performance.now();
    const observer = new MutationObserver(() => {
      if (!/\d+ match/.test(document.body.textContent ?? '')) return;
      observer.disconnect();
      requestAnimationFrame(() => resolve(performance.now() - started));
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    setValue.call(input, query);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

export function historyRowsInDom(): number {
  return document.querySelectorAll('[aria-label="History"] li').length;
}

/**
 * Clicks Launch on the open form, opens the session the moment it says Ready (as a person
 * waiting with the pointer on Open), and stops at the first remote pixels on the canvas.
 */
export function timeLaunchToPixels(afterJobId = 0): Promise<{
  /** The launched session's Slurm job. */
  jobId: number;
  click: number;
  ready: number;
  pixels: number;
  urlRequested: number;
  socketOpen: number;
  rfbConnect: number;
  pixelsPerf: number;
}> {
  return new Promise((resolve, reject) => {
    const out = { jobId: 0, click: 0, ready: 0, pixels: 0, urlRequested: 0, socketOpen: 0, rfbConnect: 0, pixelsPerf: 0 };
    for (const mark of ['url-requested', 'socket-open', 'rfb-connect']) performance.clearMarks(`porthole:viewer:${mark}`);
    // The launched session's card: its job is newer than `afterJobId` (Slurm counts up). Another
    // session of the same user (a colleague's test on the shared cluster) may be Ready above it.
    const jobOf = (li: Element) => Number(/Job (\d+) ·/.exec(li.textContent ?? '')?.[1] ?? 0);
    const launched = () =>
      Array.from(document.querySelectorAll('[aria-label="Running and waiting"] li')).find((li) => jobOf(li) > afterJobId);
    const firstState = () => launched()?.querySelector('[role="status"][aria-label="State"]');
    const pollPixels = () => {
      const canvas = document.querySelector('[aria-label="Desktop"] canvas') as HTMLCanvasElement | null;
      const ctx = canvas && canvas.width > 0 ? canvas.getContext('2d') : null;
      if (canvas && ctx) {
        // The canvas starts transparent; the server's first update (the whole screen) paints
        // opaque pixels (a bare desktop may be one flat colour, so opacity, not variety, marks
        // them). A 3×3 grid of single pixels: reading the whole canvas back took 25–55 ms of the
        // page's main thread per frame here, time the viewer itself then waited for.
        for (let i = 0; i < 9; i++) {
          const x = Math.floor(((i % 3) + 0.5) * (canvas.width / 3));
          const y = Math.floor((Math.floor(i / 3) + 0.5) * (canvas.height / 3));
          if (ctx.getImageData(x, y, 1, 1).data[3] === 255) {
            out.pixels = Date.now();
            out.pixelsPerf = performance.now();
            const mark = (name: string) => performance.getEntriesByName(`porthole:viewer:${name}`).at(-1)?.startTime ?? Number.NaN;
            out.urlRequested = mark('url-requested');
            out.socketOpen = mark('socket-open');
            out.rfbConnect = mark('rfb-connect');
            return resolve(out);
          }
        }
      }
      requestAnimationFrame(pollPixels);
    };
    const observer = new MutationObserver(() => {
      if (out.ready || firstState()?.textContent !== 'Ready') return;
      out.ready = Date.now();
      out.jobId = jobOf(launched()!);
      observer.disconnect();
      const open = Array.from(launched()?.querySelectorAll('button') ?? []).find((b) => b.textContent === 'Open') as
        HTMLButtonElement | undefined;
      open?.click();
      requestAnimationFrame(pollPixels);
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    setTimeout(() => reject(new Error('No remote pixels within 120 s of Launch')), 120_000);
    const launch = Array.from(document.querySelectorAll('form button[type="submit"]')).find(
      (b) => b.textContent === 'Launch',
    ) as HTMLButtonElement;
    out.click = Date.now();
    launch.click();
  });
}
