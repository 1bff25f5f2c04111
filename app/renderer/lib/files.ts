/**
 * Files from a drop, a file picker, a folder picker or the clipboard. Files given one by one go to the service as
 * they are (a file it cannot read fails with its reason); files found inside folders are kept only when they look
 * like images or PDFs, as the service does when it reads a folder.
 */
export const SUPPORTED_EXTENSIONS = ['pdf', 'jpg', 'jpeg', 'jpe', 'jfif', 'png', 'tif', 'tiff', 'webp', 'bmp', 'gif'] as const;

export function looksSupported(name: string): boolean {
  const ext = name.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  return ext !== undefined && (SUPPORTED_EXTENSIONS as readonly string[]).includes(ext);
}

export interface PickedFiles {
  readonly files: File[];
  /** Files inside folders that are not images or PDFs. */
  readonly skipped: number;
}

const fileOf = (entry: FileSystemFileEntry) => new Promise<File>((resolve, reject) => entry.file(resolve, reject));

async function readAll(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  // readEntries answers in batches (100 in Chromium) until it answers an empty one.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

async function walk(entry: FileSystemEntry, inFolder: boolean, out: { files: File[]; skipped: number }): Promise<void> {
  if (entry.isFile) {
    const file = await fileOf(entry as FileSystemFileEntry);
    if (!inFolder || looksSupported(file.name)) out.files.push(file);
    else out.skipped++;
  } else if (entry.isDirectory) {
    for (const child of await readAll(entry as FileSystemDirectoryEntry)) await walk(child, true, out);
  }
}

/**
 * What was dropped. Must be called from the drop handler itself: the browser empties the DataTransfer once the
 * handler returns, so the entries are taken before the first await.
 */
export function filesFromDrop(dt: DataTransfer): Promise<PickedFiles> {
  const entries = [...dt.items].filter((i) => i.kind === 'file').map((i) => i.webkitGetAsEntry?.() ?? null);
  const plain = [...dt.files];
  if (entries.length === 0 || entries.some((e) => e === null)) return Promise.resolve({ files: plain, skipped: 0 });
  return (async () => {
    const out = { files: [] as File[], skipped: 0 };
    for (const entry of entries) await walk(entry!, false, out);
    return out;
  })();
}

/** Files from `<input type=file webkitdirectory>`: only images and PDFs. */
export function filesFromFolderInput(list: FileList | null): PickedFiles {
  const all = [...(list ?? [])];
  const files = all.filter((f) => looksSupported(f.name));
  return { files, skipped: all.length - files.length };
}

/** Images on the clipboard (Ctrl+V), named after the moment they were pasted. */
export function filesFromClipboard(data: DataTransfer | null, baseName: string): File[] {
  const images = [...(data?.files ?? [])].filter((f) => f.type.startsWith('image/'));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  return images.map((f, i) => new File([f], `${baseName} ${stamp}${images.length > 1 ? `-${i + 1}` : ''}.${f.type.split('/')[1]?.replace('jpeg', 'jpg') ?? 'png'}`, { type: f.type }));
}
