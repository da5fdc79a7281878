// Looking at the remote desktop as a person would: the pixels of the viewer's canvas, and
// where a point of the remote screen is on the page.
import type { Locator, Page } from '@playwright/test';

export function desktopCanvas(page: Page): Locator {
  // noVNC draws into one <canvas> inside the Desktop region; a canvas has no role.
  return page.getByRole('region', { name: 'Desktop' }).locator('canvas');
}

export interface CanvasSummary {
  width: number;
  height: number;
  /** How many distinct colours a sample of the pixels has (1 = a blank screen). */
  colours: number;
  /** A cheap fingerprint of the sampled pixels, to notice that the picture changed. */
  hash: number;
}

/** A rectangle of the remote screen, in its own pixels. */
export interface ScreenArea {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The whole screen, or only `area` of it: a desktop with a panel clock changes somewhere every
 * second, so "a window appeared" is looked for where the window appears.
 */
export async function summariseCanvas(canvas: Locator, area?: ScreenArea): Promise<CanvasSummary> {
  return canvas.evaluate((element, area) => {
    const c = element as HTMLCanvasElement;
    const ctx = c.getContext('2d');
    if (!ctx || c.width === 0 || c.height === 0) return { width: c.width, height: c.height, colours: 0, hash: 0 };
    const { x, y, width, height } = area ?? { x: 0, y: 0, width: c.width, height: c.height };
    const data = ctx.getImageData(x, y, width, height).data;
    const colours = new Set<number>();
    let hash = 0;
    const step = 4 * 7;
    for (let i = 0; i < data.length; i += step) {
      const rgb = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
      colours.add(rgb);
      hash = (hash * 31 + rgb) | 0;
    }
    return { width: c.width, height: c.height, colours: colours.size, hash };
  }, area);
}

/** The page position of a point on the remote screen (the canvas is scaled to fit). */
export async function pagePoint(canvas: Locator, remoteX: number, remoteY: number): Promise<{ x: number; y: number }> {
  const box = await canvas.boundingBox();
  const size = await canvas.evaluate((element) => ({
    width: (element as HTMLCanvasElement).width,
    height: (element as HTMLCanvasElement).height,
  }));
  if (!box || size.width === 0) throw new Error('The desktop canvas has no size yet');
  return { x: box.x + (remoteX * box.width) / size.width, y: box.y + (remoteY * box.height) / size.height };
}
