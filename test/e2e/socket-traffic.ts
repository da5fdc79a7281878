// What the page's WebSockets carry, recorded from outside the page: the Api frames the host
// sends (to find the VNC password main handed over) and every socket URL (that must not hold it).
import type { Page } from '@playwright/test';

export interface SocketTraffic {
  apiFrames: string[];
  socketUrls: string[];
}

export function recordSocketTraffic(page: Page): SocketTraffic {
  const traffic: SocketTraffic = { apiFrames: [], socketUrls: [] };
  page.on('websocket', (socket) => {
    traffic.socketUrls.push(socket.url());
    socket.on('framereceived', (frame) => void (typeof frame.payload === 'string' && traffic.apiFrames.push(frame.payload)));
  });
  return traffic;
}
