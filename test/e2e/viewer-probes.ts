// Functions that run inside the page for the viewer's motion bench (test/bench/viewer-motion.bench.ts),
// each self-contained (only its source is sent). They watch the desktop's visible canvas: noVNC
// (patched, patches/@novnc+novnc+*.patch) decodes into a framebuffer in memory and puts each
// finished framebuffer update onto that canvas with one putImageData, so a putImageData on it is
// the moment new remote pixels are on screen.

interface ViewerWatch {
  /** The viewer's visible canvas now (a new one each time the viewer opens). */
  canvas: Element | null;
  /** Draws onto it since the watch was (re)started: the putImageData calls of one task count once. */
  draws: number;
  drawing: boolean;
  /** performance.now() of the last key pressed (its keydown's timeStamp), and of the first draw after it. */
  keyAt: number;
  drawAfterKeyAt: number;
}

/** Starts (again) counting draws onto the open viewer's canvas and timing key → next draw. */
export function watchViewer(): boolean {
  const page = window as unknown as { __portholeViewerWatch?: ViewerWatch };
  const canvas = document.querySelector('[aria-label="Desktop"] canvas');
  if (!canvas) return false;
  if (page.__portholeViewerWatch) {
    Object.assign(page.__portholeViewerWatch, { canvas, draws: 0, drawing: false, keyAt: 0, drawAfterKeyAt: 0 });
    return true;
  }
  const watch: ViewerWatch = { canvas, draws: 0, drawing: false, keyAt: 0, drawAfterKeyAt: 0 };
  page.__portholeViewerWatch = watch;
  const putImageData = CanvasRenderingContext2D.prototype.putImageData;
  CanvasRenderingContext2D.prototype.putImageData = function (this: CanvasRenderingContext2D, ...args: unknown[]) {
    (putImageData as (...a: unknown[]) => void).apply(this, args);
    if (this.canvas !== watch.canvas || watch.drawing) return;
    // Puts made in one task count as one draw.
    watch.drawing = true;
    queueMicrotask(() => (watch.drawing = false));
    watch.draws += 1;
    if (watch.keyAt && !watch.drawAfterKeyAt) watch.drawAfterKeyAt = performance.now();
  } as typeof putImageData;
  window.addEventListener(
    'keydown',
    (event) => {
      watch.keyAt = event.timeStamp;
      watch.drawAfterKeyAt = 0;
    },
    { capture: true },
  );
  return true;
}

/** Draws so far and the last key's time to its first draw (ms; null while none came). */
export function viewerWatch(): { draws: number; keyToDraw: number | null } {
  const watch = (window as unknown as { __portholeViewerWatch: ViewerWatch }).__portholeViewerWatch;
  return { draws: watch.draws, keyToDraw: watch.drawAfterKeyAt ? watch.drawAfterKeyAt - watch.keyAt : null };
}

/** The viewer's status text ("Connected", "Connecting…"), or null when no viewer is open. */
export function viewerStatus(): string | null {
  return document.querySelector('[aria-label="Viewer"] [role="status"]')?.textContent ?? null;
}

/** performance.now() when the viewer's WebSocket opened (its mark), or null. */
export function viewerSocketOpenedAt(): number | null {
  return performance.getEntriesByName('porthole:viewer:socket-open').at(-1)?.startTime ?? null;
}

/** Clicks the viewer's Disconnect; gives performance.now() of the click. */
export function disconnectViewer(): number {
  const button = Array.from(document.querySelectorAll('[aria-label="Viewer"] button')).find((b) => b.textContent === 'Disconnect');
  if (!button) throw new Error('no Disconnect button in the viewer toolbar');
  const at = performance.now();
  (button as HTMLButtonElement).click();
  return at;
}

/** How much of the desktop the viewer's canvas shows on screen, in CSS pixels, and the desktop's size: "1920×1080 of 1920×1080". */
export function desktopOnScreen(): string {
  const region = document.querySelector('[aria-label="Desktop"]');
  const canvas = region?.querySelector('canvas');
  if (!region || !canvas) return 'no canvas';
  const shown = canvas.getBoundingClientRect();
  const frame = region.getBoundingClientRect();
  const width = Math.min(shown.right, frame.right, window.innerWidth) - Math.max(shown.left, frame.left, 0);
  const height = Math.min(shown.bottom, frame.bottom, window.innerHeight) - Math.max(shown.top, frame.top, 0);
  return `${Math.round(width)}×${Math.round(height)} of ${canvas.width}×${canvas.height}`;
}

/** Picks the viewer toolbar's Scaling option labelled `label` as a change by the user would; false when there is none. */
export function chooseScaling(label: string): boolean {
  const select = Array.from(document.querySelectorAll<HTMLSelectElement>('[aria-label="Viewer"] select')).find((s) =>
    Array.from(s.labels ?? []).some((l) => l.textContent === 'Scaling'),
  );
  const option = Array.from(select?.options ?? []).find((o) => o.textContent === label);
  if (!select || !option) return false;
  select.value = option.value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
  return true;
}
