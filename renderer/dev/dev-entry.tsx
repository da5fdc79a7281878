// DEVELOPMENT ONLY: the UI on the in-memory Api (see memory-link.ts). Built by hand with
//   npx esbuild renderer/dev/dev-entry.tsx --bundle --format=esm --target=es2022 --jsx=automatic --outdir=<dir>
import { boot } from '../boot';
import { MemoryLink } from './memory-link';

const link = new MemoryLink();
(window as Window & { devLink?: MemoryLink }).devLink = link;
void boot(link, document.getElementById('root')!);
