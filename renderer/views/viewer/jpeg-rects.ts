// noVNC 1.7 draws each Tight JPEG rectangle through an <img>: its bytes base64-encoded into a
// data: URL on the page's main thread, fetched, decoded, then a load event per rectangle, with
// every later rectangle waiting in the render queue meanwhile. In a trace of the viewer on a
// moving desktop (glxgears, about 8 frames per second) that was a quarter of the main thread's
// time. createImageBitmap decodes the same bytes off the main thread; the bitmap joins noVNC's
// render queue in order, as a decoded video frame does (core/display.js, `frame`).
import type RFB from '@novnc/novnc';

interface QueuedBitmap {
  ready: boolean;
  frame: ImageBitmap | null;
  promise: Promise<void>;
}

/** The two members of noVNC's private Display that this relies on (core/display.js, 1.7). */
interface NoVncDisplay {
  imageRect(x: number, y: number, width: number, height: number, mime: string, data: Uint8Array): void;
  _renderQPush(action: { type: 'frame'; frame: QueuedBitmap; x: number; y: number; width: number; height: number }): void;
}

/** Makes `rfb` decode JPEG rectangles with createImageBitmap; false (noVNC's own way stays) when its Display is not as expected. */
export function decodeJpegRectsOffMainThread(rfb: RFB): boolean {
  const display = (rfb as unknown as { _display?: Partial<NoVncDisplay> })._display;
  if (typeof display?.imageRect !== 'function' || typeof display._renderQPush !== 'function' || typeof createImageBitmap !== 'function')
    return false;
  const push = display._renderQPush.bind(display);
  display.imageRect = (x, y, width, height, mime, data) => {
    if (width === 0 || height === 0) return;
    const queued: QueuedBitmap = { ready: false, frame: null, promise: Promise.resolve() };
    // The Blob copies the bytes now: `data` is a view into noVNC's receive buffer, which moves on.
    queued.promise = createImageBitmap(new Blob([data as Uint8Array<ArrayBuffer>], { type: mime }))
      // A rectangle that does not decode stays blank instead of holding up every later one.
      .catch(() => createImageBitmap(new ImageData(width, height)))
      .then((bitmap) => {
        queued.frame = bitmap;
        queued.ready = true;
      });
    push({ type: 'frame', frame: queued, x, y, width, height });
  };
  return true;
}
