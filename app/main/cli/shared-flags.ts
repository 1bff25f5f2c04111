/** Command-line flags that `ocr-desk` (a batch) and `ocr-desk watch` share: outputs, recognition and the worker pool. */
export const SHARED_FLAGS = {
  out: { type: 'string', short: 'o' },
  format: { type: 'string', short: 'f' },
  lang: { type: 'string', short: 'l' },
  'no-rotate': { type: 'boolean' },
  'pdf-mode': { type: 'string' },
  models: { type: 'string' },
  workers: { type: 'string', short: 'w' },
  threads: { type: 'string', short: 't' },
  'max-pixels': { type: 'string' },
  'page-timeout-ms': { type: 'string' },
} as const;
