// TigerVNC's native `vncviewer` (Debian's tigervnc-viewer) on the workstation side, in an Xvfb
// of its own, as the baseline a person would otherwise use. Both are stopped by their PIDs and run
// on the workstation's CPU (cpu-split.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import type { ViewerSettings } from '../../renderer/logic/viewer-settings';
import { onWorkstationCpu } from './cpu-split';

export interface NativeViewer {
  pid: number;
  stop(): Promise<number>;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid!, 'SIGTERM');
  await exited;
}

/** An Xvfb of `width`×`height` on a display it picks itself (-displayfd), so no other X server is hit. */
export async function startXvfb(width: number, height: number): Promise<{ display: string; pid: number; stop: () => Promise<void> }> {
  const [file, args] = onWorkstationCpu('Xvfb', ['-displayfd', '3', '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp']);
  const child = spawn(file, args, {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  const display = await new Promise<string>((resolve, reject) => {
    let text = '';
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdio[3]!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(`:${text.trim()}`);
    });
    child.once('exit', (code) => reject(new Error(`Xvfb exited (${code}) before reporting its display: ${stderr.slice(-500)}`)));
  });
  return { display, pid: child.pid!, stop: () => stopChild(child) };
}

/**
 * `vncviewer` to 127.0.0.1:port with the encoding settings the embedded viewer asks for (Tight,
 * its JPEG quality and compression level; noVNC never switches encodings by itself), shared as
 * the viewer connects. stop() gives performance.now() of the moment it was asked to stop.
 */
export function startNativeViewer(display: string, port: number, passwordFile: string, settings: ViewerSettings): NativeViewer {
  const [file, args] = onWorkstationCpu('vncviewer', [
    `-passwd=${passwordFile}`,
    '-Shared=1',
    '-AutoSelect=0',
    '-PreferredEncoding=Tight',
    `-QualityLevel=${settings.quality}`,
    // Without CustomCompressLevel vncviewer asks for no compression level at all, and Xvnc uses
    // its default (2): cheaper for Xvnc, more bytes (Xvnc's own statistics: zlib ratio 1:30
    // against 1:37 at the viewer's 6).
    '-CustomCompressLevel=1',
    `-CompressLevel=${settings.compression}`,
    '-FullColor=1',
    '-RemoteResize=0',
    '-geometry=1920x1080+0+0',
    `127.0.0.1::${port}`,
  ]);
  const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DISPLAY: display } });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  return {
    pid: child.pid!,
    async stop() {
      const at = performance.now();
      if (child.exitCode !== null) throw new Error(`vncviewer exited early (${child.exitCode}): ${stderr}`);
      await stopChild(child);
      return at;
    },
  };
}
