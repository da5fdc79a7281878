// Renderer entry point: the Electron bridge when the preload provided one, else the web host's
// WebSocket (renderer/transport/pick-link.ts).
import { boot } from './boot';
import { pickLink } from './transport/pick-link';

void boot(pickLink(window), document.getElementById('root')!);
