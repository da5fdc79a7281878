// Renderer entry point: the Electron bridge when the preload provided one, else the web host's
// WebSocket (renderer/transport/pick-link.ts); without either, it says what to open instead.
import { boot } from './boot';
import { pickLink } from './transport/pick-link';

const root = document.getElementById('root')!;
const picked = pickLink(window);
if ('link' in picked) void boot(picked.link, root);
else showProblem(root, picked.problem);

function showProblem(container: HTMLElement, problem: string): void {
  const main = document.createElement('main');
  const heading = document.createElement('h1');
  heading.textContent = 'Porthole';
  const message = document.createElement('p');
  message.setAttribute('role', 'alert');
  message.textContent = problem;
  main.append(heading, message);
  container.replaceChildren(main);
}
