// What a drop on the viewer holds: its files, and its folders walked to their files (each with
// the folders above it), through the entries API Chromium gives a drop.

export interface DroppedFolder {
  name: string;
  files: { file: File; subPath: string[] }[];
}

export interface DroppedItems {
  files: File[];
  folders: DroppedFolder[];
}

/** The entry types of a drop (FileSystemEntry and friends), as much of them as is used here. */
interface Entry {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  file?: (ok: (file: File) => void, fail: (error: unknown) => void) => void;
  createReader?: () => { readEntries: (ok: (entries: Entry[]) => void, fail: (error: unknown) => void) => void };
}

export async function droppedItems(transfer: DataTransfer): Promise<DroppedItems> {
  const entries = [...transfer.items]
    .filter((item) => item.kind === 'file')
    .map((item) => (item as DataTransferItem & { webkitGetAsEntry?: () => Entry | null }).webkitGetAsEntry?.() ?? null);
  // Without the entries API (or for a synthetic drop of plain files) the files are all there is.
  if (entries.some((entry) => entry === null)) return { files: [...transfer.files], folders: [] };
  const result: DroppedItems = { files: [], folders: [] };
  for (const entry of entries as Entry[]) {
    if (entry.isFile) result.files.push(await fileOf(entry));
    else if (entry.isDirectory) result.folders.push({ name: entry.name, files: await filesUnder(entry, []) });
  }
  return result;
}

function fileOf(entry: Entry): Promise<File> {
  return new Promise((resolve, reject) => entry.file!(resolve, reject));
}

async function filesUnder(folder: Entry, above: string[]): Promise<{ file: File; subPath: string[] }[]> {
  const reader = folder.createReader!();
  const found: { file: File; subPath: string[] }[] = [];
  // readEntries answers in batches (100 in Chromium) until it answers none.
  for (;;) {
    const batch = await new Promise<Entry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (!batch.length) return found;
    for (const entry of batch) {
      if (entry.isFile) found.push({ file: await fileOf(entry), subPath: above });
      else if (entry.isDirectory) found.push(...(await filesUnder(entry, [...above, entry.name])));
    }
  }
}
