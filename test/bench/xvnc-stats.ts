// What TigerVNC's Xvnc logs for each client as it disconnects: the framebuffer updates it sent and
// the bytes of their encoded rectangles. Counted by the server, so the same for every client.
//   EncodeManager: Framebuffer updates: 377
//   …
//   EncodeManager:   Total: 135.266 krects, 123.299 Mpixels
//   EncodeManager:          15.7568 MiB (1:29.9488 ratio)
//   Connections: closed: …
//   ComparingUpdateTracker: 646.56 Mpixels in / 143.988 Mpixels out
// The tracker's "in" is the damage Xvnc compared on each tick of its frame clock (at most 60 a
// second, TigerVNC's FrameRate) while the client was connected, summed (VNCServerST::writeUpdate,
// ComparingUpdateTracker::compare): a tick that found the workload's window damaged counts its
// area once, however many times the workload drew into it meanwhile. Over the window's area it is
// the frames Xvnc had to send, whoever watched; the tracker's totals restart at each disconnect.

export interface ClientStats {
  updates: number;
  bytes: number;
  /** Damaged pixels Xvnc found on its frame clock's ticks while the client was connected. */
  damagedPixels: number;
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
    stats.push({ updates: Number(match[1]), bytes: Number(match[2]) * UNITS[match[3]], damagedPixels: Number(match[4]) * UNITS[match[5]] });
  return stats;
}
