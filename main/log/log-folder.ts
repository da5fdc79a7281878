// `Open logs`: shows the log folder in the OS's file manager. The Electron shell passes its
// shell.openPath, which resolves to an error message, or '' when it opened the folder.
import { mkdir } from 'node:fs/promises';

export async function openLogFolder(dir: string, openPath: (path: string) => Promise<string>): Promise<void> {
  // Made first, so that the item works before the app has written its first line.
  await mkdir(dir, { recursive: true });
  const problem = await openPath(dir);
  if (problem) throw new Error(`Could not open the log folder ${dir}: ${problem}`);
}
