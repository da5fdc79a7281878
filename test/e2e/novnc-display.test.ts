// patches/@novnc+novnc+1.7.0.patch replaces noVNC's back-buffer canvas with a framebuffer in
// memory that decoders write into and that flip() puts onto the visible canvas, and decodes
// JPEG/PNG rectangles off the main thread. In Chromium, against a plain model of the remote
// screen (an array of pixels), after each kind of drawing a server asks for: what the viewer
// shows must be what the server drew, pixel for pixel, in the order it was sent.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, type Page } from '@playwright/test';

const NOVNC_CORE = join(__dirname, '../../node_modules/@novnc/novnc/core');
const ORIGIN = 'http://novnc-display.test';

test.beforeEach(async ({ page }) => {
  // noVNC's modules as the page loads them, from an origin of their own (no server needed).
  await page.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><canvas id="screen"></canvas>' });
    return route.fulfill({ contentType: 'text/javascript', body: readFileSync(join(NOVNC_CORE, path.replace(/^\/core\//, ''))) });
  });
  await page.goto(`${ORIGIN}/`);
});

/**
 * Runs a sequence of drawing calls on noVNC's Display over a 64×48 screen and on the model,
 * then gives how many pixels of the visible canvas differ from the model (and the first one).
 */
async function drawAndCompare(page: Page, script: string): Promise<{ differing: number; first: string }> {
  return page.evaluate(async (script) => {
    const module = '/core/display.js';
    const { default: Display } = (await import(module)) as { default: new (canvas: HTMLCanvasElement) => NoVncDisplay };
    interface NoVncDisplay {
      resize(w: number, h: number): void;
      fillRect(x: number, y: number, w: number, h: number, color: number[]): void;
      blitImage(x: number, y: number, w: number, h: number, arr: Uint8Array, offset: number): void;
      copyImage(sx: number, sy: number, dx: number, dy: number, w: number, h: number): void;
      imageRect(x: number, y: number, w: number, h: number, mime: string, arr: Uint8Array): void;
      flip(): void;
      flush(): Promise<void>;
    }
    const canvas = document.getElementById('screen') as HTMLCanvasElement;
    const display = new Display(canvas);
    let width = 64;
    let height = 48;
    display.resize(width, height);
    // The model: one 0xRRGGBB number per pixel; -1 where nothing was drawn yet (transparent, as a new canvas is).
    let model = new Array<number>(width * height).fill(-1);
    const pattern = (w: number, h: number, seed: number) =>
      Array.from({ length: w * h }, (_, i) => ((i * 2654435761 + seed * 40503) >>> 0) & 0xffffff);
    const rgba = (pixels: number[]) => Uint8Array.from(pixels.flatMap((p) => [p >> 16, (p >> 8) & 0xff, p & 0xff, 255]));
    const put = (x: number, y: number, w: number, pixels: number[]) =>
      pixels.forEach((p, i) => {
        const px = x + (i % w);
        const py = y + Math.floor(i / w);
        if (px >= 0 && py >= 0 && px < width && py < height) model[py * width + px] = p;
      });
    const steps = {
      fill(x: number, y: number, w: number, h: number, color: number) {
        display.fillRect(x, y, w, h, [color >> 16, (color >> 8) & 0xff, color & 0xff]);
        put(x, y, w, new Array(w * h).fill(color));
      },
      blit(x: number, y: number, w: number, h: number, seed: number) {
        const pixels = pattern(w, h, seed);
        // As decoders pass it: a view into a larger buffer, from an offset.
        const bytes = new Uint8Array(16 + w * h * 4);
        bytes.set(rgba(pixels), 16);
        display.blitImage(x, y, w, h, bytes, 16);
        put(x, y, w, pixels);
      },
      copy(sx: number, sy: number, dx: number, dy: number, w: number, h: number) {
        display.copyImage(sx, sy, dx, dy, w, h);
        const from = model.slice();
        for (let row = 0; row < h; row++)
          for (let col = 0; col < w; col++) model[(dy + row) * width + dx + col] = from[(sy + row) * width + sx + col];
      },
      async png(x: number, y: number, w: number, h: number, seed: number) {
        const pixels = pattern(w, h, seed);
        const source = new OffscreenCanvas(w, h);
        source.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(rgba(pixels).buffer), w, h), 0, 0);
        const png = new Uint8Array(await (await source.convertToBlob({ type: 'image/png' })).arrayBuffer());
        display.imageRect(x, y, w, h, 'image/png', png);
        put(x, y, w, pixels);
      },
      resize(w: number, h: number) {
        display.resize(w, h);
        const resized = new Array<number>(w * h).fill(-1);
        for (let row = 0; row < Math.min(h, height); row++)
          for (let col = 0; col < Math.min(w, width); col++) resized[row * w + col] = model[row * width + col];
        [model, width, height] = [resized, w, h];
      },
      flip: () => display.flip(),
    };
    // The test's own steps, as text (a function cannot be passed into the page).
    await new Function('s', `return (async () => { ${script} })()`)(steps);
    display.flip();
    await display.flush();
    const shown = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let differing = 0;
    let first = '';
    for (let i = 0; i < width * height; i++) {
      const pixel = shown[i * 4 + 3] === 0 ? -1 : (shown[i * 4] << 16) | (shown[i * 4 + 1] << 8) | shown[i * 4 + 2];
      if (pixel !== model[i] || (pixel !== -1 && shown[i * 4 + 3] !== 255)) {
        if (!differing) first = `(${i % width}, ${Math.floor(i / width)}): shown ${pixel.toString(16)}, drawn ${model[i].toString(16)}`;
        differing++;
      }
    }
    if (canvas.width !== width || canvas.height !== height) first = `canvas ${canvas.width}×${canvas.height}, screen ${width}×${height}`;
    return { differing: canvas.width !== width || canvas.height !== height ? -1 : differing, first };
  }, script);
}

test('rectangles, fills and pixels arrive on the canvas as the server drew them', async ({ page }) => {
  const result = await drawAndCompare(
    page,
    `s.fill(0, 0, 64, 48, 0x204080); s.blit(3, 5, 17, 9, 1); s.fill(10, 7, 20, 3, 0xff0000);
     s.blit(60, 40, 10, 10, 2); s.fill(-4, -4, 8, 8, 0x00ff00); s.flip(); s.blit(30, 20, 34, 28, 3)`,
  );
  expect(result).toEqual({ differing: 0, first: '' });
});

test('copies (CopyRect) move what is there in every direction, overlapping themselves', async ({ page }) => {
  const result = await drawAndCompare(
    page,
    `s.blit(0, 0, 64, 48, 7);
     s.copy(0, 1, 0, 0, 64, 47);    // a terminal scrolling up a line
     s.copy(0, 0, 0, 3, 64, 45);    // down three
     s.copy(2, 0, 0, 0, 62, 48);    // left, overlapping in each row
     s.copy(0, 0, 5, 0, 59, 48);    // right, overlapping in each row
     s.copy(10, 10, 12, 11, 20, 20); s.flip(); s.copy(40, 30, 1, 1, 8, 8)`,
  );
  expect(result).toEqual({ differing: 0, first: '' });
});

test('image rectangles are decoded and drawn in order with what comes after them', async ({ page }) => {
  // The PNG decodes asynchronously; the fill sent after it must still end up on top.
  const result = await drawAndCompare(
    page,
    `s.fill(0, 0, 64, 48, 0x101010); await s.png(4, 4, 40, 30, 5); s.fill(20, 10, 10, 10, 0xffff00);
     s.blit(0, 40, 64, 8, 9); await s.png(50, 2, 14, 14, 6); s.copy(4, 4, 30, 30, 20, 12)`,
  );
  expect(result).toEqual({ differing: 0, first: '' });
});

test('rectangles beside an image still being decoded, and copies reading from both, end up as drawn', async ({ page }) => {
  // A rectangle apart from every queued one is drawn at once; a copy reading the image's area must wait for it.
  const result = await drawAndCompare(
    page,
    `s.fill(0, 0, 64, 48, 0x000080); await s.png(0, 0, 20, 20, 3); s.blit(30, 0, 20, 20, 4); s.fill(22, 0, 6, 6, 0x00ffff);
     s.copy(15, 0, 20, 20, 10, 25); s.fill(24, 8, 4, 4, 0xff00ff); await s.png(40, 30, 10, 10, 8); s.blit(40, 30, 4, 4, 12)`,
  );
  expect(result).toEqual({ differing: 0, first: '' });
});

test('a browser whose VideoFrame cannot convert to RGBA still draws image rectangles in order', async ({ page }) => {
  await page.evaluate(() => {
    VideoFrame.prototype.copyTo = () => Promise.reject(new TypeError('format RGBA is not supported'));
  });
  const result = await drawAndCompare(
    page,
    `s.fill(0, 0, 64, 48, 0x101010); await s.png(4, 4, 40, 30, 5); s.fill(20, 10, 10, 10, 0xffff00); s.copy(4, 4, 30, 30, 20, 12)`,
  );
  expect(result).toEqual({ differing: 0, first: '' });
});

test('a resized screen keeps what it showed where it still fits', async ({ page }) => {
  const result = await drawAndCompare(
    page,
    `s.blit(0, 0, 64, 48, 11); s.flip(); s.resize(80, 30); s.fill(70, 0, 10, 30, 0x336699); s.flip(); s.resize(50, 60)`,
  );
  expect(result).toEqual({ differing: 0, first: '' });
});
