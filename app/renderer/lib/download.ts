/** Saves bytes the service sent (an export) as a download, through a short-lived blob URL. */
import type { BinaryResponse } from '../../common/api/operations.ts';

export function saveDownload(file: BinaryResponse): void {
  const url = URL.createObjectURL(new Blob([file.data as Uint8Array<ArrayBuffer>], { type: file.mediaType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
