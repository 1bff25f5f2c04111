/**
 * The V8 young generation of a process that hosts the OCR service. Its objects live for a page at most (a worker's
 * reply, the store's rows, events), yet V8 doubles the young generation whenever as many bytes have survived its
 * scavenges as it holds, and over a long run that always happens: the CLI's main process grew from 136 to 165 MB
 * after ~170 pages of a batch (new space 32 → 64 MB), the step that made a 1,000-page soak grow by 5–6%. Held at its
 * first size (1 MB semispaces), main stayed at 115–119 MB for 600 pages and used the same CPU time (2.7–2.9 s for
 * 200 pages either way): its survivors are promoted a little sooner, and its old generation is ~18 MB. A worker's
 * grew to 64 MB the same way; held after its modules load (16 MB), it stays there, and sroie-dev read as fast
 * (`npm run bench:ab`: 0.99×).
 */
import v8 from 'node:v8';

/**
 * Stops the young generation growing: the growth factor is read each time V8 would grow it, so setting it at run
 * time works. Call it once, early, in a process that hosts the service. It only changes memory, never results.
 */
export function holdYoungGeneration(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}
