// The Node.js runtimes this build carries for login nodes without Node 18+:
// runtimes/manifest.json beside the agent, written by build/node-runtimes.mjs. Read once, checked
// here, and asked which archive fits a login node's `uname -m`.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { PortholeError } from '../errors';

export type RuntimeArch = 'x64' | 'arm64';

export interface NodeRuntime {
  nodeVersion: string;
  arch: RuntimeArch;
  /** The .tar.gz on this machine (bin/node, LICENSE). */
  archiveFile: string;
  /** SHA-256 (hex) of the archive, and of bin/node inside it. */
  sha256: string;
  nodeSha256: string;
  bytes: number;
}

export interface NodeRuntimeCatalog {
  nodeVersion: string;
  /** The runtime for a login node's `uname -m`, or null when this build carries none for it. */
  forMachine(machine: string): NodeRuntime | null;
  machines: string[];
}

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const entry = z.object({ file: z.string().regex(/^[\w.+-]+\.tar\.gz$/), sha256, nodeSha256: sha256, bytes: z.number().int().positive() });
const manifestSchema = z.object({
  nodeVersion: z.string().regex(/^\d+\.\d+\.\d+$/),
  runtimes: z.object({ x64: entry.optional(), arm64: entry.optional() }),
});

/** `uname -m` → the Node architecture name; the spellings Linux and BSDs use. */
const ARCH_OF_MACHINE: Record<string, RuntimeArch> = { x86_64: 'x64', amd64: 'x64', aarch64: 'arm64', arm64: 'arm64' };

/** The catalog in `dir` (runtimes/ beside agent.cjs), or null when this build has none. */
export async function loadRuntimeCatalog(dir: string): Promise<NodeRuntimeCatalog | null> {
  const file = join(dir, 'manifest.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  const parsed = manifestSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new PortholeError(`${file} is not a runtime manifest (${parsed.error.issues[0]?.message}); run \`npm run build\` again`);
  const { nodeVersion, runtimes } = parsed.data;
  return {
    nodeVersion,
    machines: Object.entries(ARCH_OF_MACHINE)
      .filter(([, arch]) => runtimes[arch])
      .map(([machine]) => machine),
    forMachine(machine) {
      const arch = ARCH_OF_MACHINE[machine.trim()];
      const found = arch ? runtimes[arch] : undefined;
      if (!arch || !found) return null;
      return {
        nodeVersion,
        arch,
        archiveFile: join(dir, found.file),
        sha256: found.sha256,
        nodeSha256: found.nodeSha256,
        bytes: found.bytes,
      };
    },
  };
}
