/** PDF sniffing, apart from pdf.ts so that a worker can tell a PDF without loading pdf.js, pdf-lib and canvas. */

/** Whether the first bytes of a file are a PDF header (which may follow up to 1 KB of junk, as readers allow). */
export function isPdfHead(head: Uint8Array): boolean {
  const text = String.fromCharCode(...head.subarray(0, 1024));
  return text.includes('%PDF-');
}
