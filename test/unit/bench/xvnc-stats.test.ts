// The viewer bench counts frames and bytes from what Xvnc logs as each client leaves; these lines
// are TigerVNC 1.12's, as logged on this machine (two clients, one after the other).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clientStats } from '../../bench/xvnc-stats';

const LOG = `
Mon Nov 30 18:27:11 2026
 VNCSConnST:  closing 127.0.0.1::49362: Clean disconnection
 EncodeManager: Framebuffer updates: 377
 EncodeManager:   Tight:
 EncodeManager:     Solid: 2.045 krects, 3.99815 Mpixels
 EncodeManager:            31.9531 KiB (1:489.522 ratio)
 EncodeManager:   Tight (JPEG):
 EncodeManager:     Full Colour: 1.183 krects, 1.32632 Mpixels
 EncodeManager:                  937.597 KiB (1:5.54057 ratio)
 EncodeManager:   Total: 135.266 krects, 123.299 Mpixels
 EncodeManager:          15.7568 MiB (1:29.9488 ratio)
 Connections: closed: 127.0.0.1::49362
 ComparingUpdateTracker: 646.56 Mpixels in / 143.988 Mpixels out
 ComparingUpdateTracker: (1:4.49037 ratio)

Mon Nov 30 18:28:02 2026
 VNCSConnST:  closing 127.0.0.1::49400: Clean disconnection
 EncodeManager: Framebuffer updates: 12
 EncodeManager:   Tight:
 EncodeManager:     Solid: 12 rects, 4.1 kpixels
 EncodeManager:            96 B (1:171 ratio)
 EncodeManager:   Total: 12 rects, 4.1 kpixels
 EncodeManager:          96 B (1:171 ratio)
 Connections: closed: 127.0.0.1::49400
 ComparingUpdateTracker: 52.3 kpixels in / 4.1 kpixels out
`;

test("reads each client's framebuffer updates, the total bytes of its rectangles and the damage Xvnc compared meanwhile, in order", () => {
  assert.deepEqual(clientStats(LOG), [
    { updates: 377, bytes: 15.7568 * 1024 * 1024, damagedPixels: 646.56e6 },
    { updates: 12, bytes: 96, damagedPixels: 52.3e3 },
  ]);
});

test('finds nothing while no client has left', () => {
  assert.deepEqual(clientStats(' Connections: accepted: 127.0.0.1::49362\n'), []);
});
