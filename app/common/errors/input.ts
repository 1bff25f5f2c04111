/**
 * Errors about the files of a batch and the options it was given, for the person running it: an input that is
 * missing, unreadable, empty, of an unknown format or damaged, a PDF that needs a password, an output that could
 * not be made or written, a link that loops. Each message names the file and says what to do.
 */
import { OcrDeskError } from './base.ts';

export class InvalidOptionError extends OcrDeskError {
  override readonly kind = 'invalid-option';
  override name = 'InvalidOptionError';
}

export class InputNotFoundError extends OcrDeskError {
  override readonly kind = 'input-not-found';
  override name = 'InputNotFoundError';
  constructor(path: string) {
    super(`${path} does not exist. Check the path, or whether the file was moved while the batch ran.`);
  }
}

export class InputUnreadableError extends OcrDeskError {
  override readonly kind = 'input-unreadable';
  override name = 'InputUnreadableError';
  constructor(path: string, reason: string) {
    super(`${path} cannot be read (${reason}). Check its permissions, or copy it somewhere readable and try again.`);
  }
}

export class EmptyInputError extends OcrDeskError {
  override readonly kind = 'input-empty';
  override name = 'EmptyInputError';
  constructor(path: string) {
    super(`${path} is empty (0 bytes). The copy or scan probably failed; scan or copy it again.`);
  }
}

export class UnsupportedFormatError extends OcrDeskError {
  override readonly kind = 'unsupported-format';
  override name = 'UnsupportedFormatError';
  constructor(path: string, detail: string) {
    super(
      `${path} is not an image OCR Desk can read (${detail}). Supported: PDF, JPEG, PNG, TIFF, WebP, BMP, GIF. ` +
        'If the extension is wrong, rename the file; otherwise convert it to one of these.',
    );
  }
}

/**
 * A decoder's message as one line: libvips reports one problem per line, often the same line several times
 * ("VipsJpeg: Premature end of input file" ×3); a message for people says each once.
 */
export function oneLine(detail: string): string {
  // A line that ends in a colon introduced a detail libvips did not give ("Input file has corrupt header:").
  const lines = [...new Set(detail.split(/\r?\n/).map((l) => l.trim().replace(/:$/, '')).filter((l) => l !== ''))];
  // "Input file has corrupt header: VipsJpeg: X" and "VipsJpeg: X" say one thing: keep the line that holds the other.
  return lines.filter((l, i) => !lines.some((other, j) => j !== i && other.length > l.length && other.includes(l))).join('; ');
}

export class CorruptImageError extends OcrDeskError {
  override readonly kind = 'corrupt-image';
  override name = 'CorruptImageError';
  constructor(path: string, detail: string) {
    super(`${path} is damaged and cannot be decoded (${oneLine(detail)}). Re-scan it or fetch a fresh copy.`);
  }
}

export class ImageTooLargeError extends OcrDeskError {
  override readonly kind = 'image-too-large';
  override name = 'ImageTooLargeError';
  constructor(path: string, width: number, height: number, limit: number) {
    super(
      `${path} is ${width}×${height} pixels, over the limit of ${limit.toLocaleString('en-US')} pixels, so it was not ` +
        'decoded. Scan at a lower resolution, or raise the `maxPixels` setting (OCR_DESK_MAX_PIXELS) if this is intended.',
    );
  }
}

export class PdfPasswordError extends OcrDeskError {
  override readonly kind = 'pdf-password';
  override name = 'PdfPasswordError';
  constructor(path: string, given: boolean) {
    super(
      given
        ? `${path} is encrypted and the password given does not open it. Check the password (--password, OCR_DESK_PASSWORD).`
        : `${path} is encrypted and needs a password. Pass it with --password (or OCR_DESK_PASSWORD), or remove the protection first.`,
    );
  }
}

export class CorruptPdfError extends OcrDeskError {
  override readonly kind = 'corrupt-pdf';
  override name = 'CorruptPdfError';
  constructor(path: string, detail: string) {
    super(`${path} is a damaged or unsupported PDF (${oneLine(detail)}). Open and re-save it in a PDF viewer, or fetch a fresh copy.`);
  }
}

/** The searchable PDF (or PDF/A) of a file could not be made; the other formats of the same file are unaffected. */
export class PdfOutputError extends OcrDeskError {
  override readonly kind = 'pdf-output';
  override name = 'PdfOutputError';
}

export class SymlinkLoopError extends OcrDeskError {
  override readonly kind = 'symlink-loop';
  override name = 'SymlinkLoopError';
  constructor(path: string) {
    super(`${path} is a symbolic link that loops back into a folder already being read; it was skipped. Remove or fix the link.`);
  }
}

/**
 * An output file could not be written (read-only or full disk, a missing drive). The input is fine and is kept
 * where it is: the document is tried again once the output folder is writable.
 */
export class OutputWriteError extends OcrDeskError {
  override readonly kind = 'output-write';
  override name = 'OutputWriteError';
  constructor(target: string, code: string) {
    super(`${target} could not be written (${describeWriteError(code)}). ${OUTPUT_ADVICE[code] ?? 'Check that the output folder exists and is writable.'} The input is kept and is tried again once the folder is writable.`);
  }
}

const OUTPUT_ADVICE: Record<string, string> = {
  ENOSPC: 'Free some space on that disk, or choose another output folder.',
  EDQUOT: 'Free some space within your disk quota, or choose another output folder.',
  EROFS: 'That disk is read-only: choose another output folder.',
  EACCES: 'Give OCR Desk write permission on the output folder, or choose another one.',
  EPERM: 'Give OCR Desk write permission on the output folder, or choose another one.',
};

function describeWriteError(code: string): string {
  const words: Record<string, string> = {
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is used up',
    EROFS: 'the disk is read-only',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOENT: 'the folder does not exist',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EIO: 'an input/output error from the disk',
  };
  return words[code] ? `${words[code]}, ${code}` : code;
}
