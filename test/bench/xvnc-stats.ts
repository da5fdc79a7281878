// What TigerVNC's Xvnc logs for each client as it disconnects: the framebuffer updates it sent and
// the bytes of their encoded rectangles. Counted by the server, so the same for every client.
//   EncodeManager: Framebuffer updates: 377
//   …
//   EncodeManager:   Total: 135.266 krects, 123.299 Mpixels
//   EncodeManager:          15.7568 MiB (1:29.9488 ratio)
//   Connections: closed: …
//   ComparingUpdateTracker: 646.56 Mpixels in / 143.988 Mpixels out
// The tracker's "in" is what the desktop's programs drew meanwhile (X damage), whoever watched.

export interface ClientStats {
  updates: number;
  bytes: number;
  /** Pixels the desktop's programs drew while the client was connected. */
  drawnPixels: number;
}

const UNITS: Record<string, number> = {
  B: 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  pixels: 1,
  kpixels: 1e3,
  Mpixels: 1e6,
  Gpixels: 1e9,
};

/** Each disconnected client's figures in `log`, in order. */
export function clientStats(log: string): ClientStats[] {
  const stats: ClientStats[] = [];
  const pattern =
    /EncodeManager: Framebuffer updates: (\d+)\n(?:.*\n)*?\s*EncodeManager:\s+Total:.*\n\s*EncodeManager:\s+([\d.]+) (B|KiB|MiB|GiB) (?:.*\n)*?\s*ComparingUpdateTracker: ([\d.]+) (\w+) in/g;
  for (const match of log.matchAll(pattern))
    stats.push({ updates: Number(match[1]), bytes: Number(match[2]) * UNITS[match[3]], drawnPixels: Number(match[4]) * UNITS[match[5]] });
  return stats;
}
