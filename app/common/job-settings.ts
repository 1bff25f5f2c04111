/**
 * The job vocabulary: how a job's files are read and what is written for them. One zod schema, its defaults and
 * its types (derived, never written beside it), shared by the CLI, the hot folders, the service API, the HTTP
 * adapter and the UI. The same settings mean the same thing for a batch, a hot folder and an upload.
 */
import { z } from 'zod';
import { SUPPORTED_LANGUAGES, type Language } from './languages.ts';

/** Output formats; `pdf` is the searchable PDF, built from the source file. */
export const OUTPUT_FORMATS = ['txt', 'json', 'hocr', 'alto', 'md', 'csv', 'pdf'] as const;
export const outputFormatSchema = z.enum(OUTPUT_FORMATS);
export type OutputFormat = z.infer<typeof outputFormatSchema>;

/** File extension of each format's output. */
export const FORMAT_EXTENSIONS: Readonly<Record<OutputFormat, string>> = {
  txt: 'txt',
  json: 'json',
  hocr: 'hocr',
  alto: 'alto.xml',
  md: 'md',
  csv: 'csv',
  pdf: 'pdf',
};

/** Media type of each format's output, for downloads. */
export const FORMAT_MEDIA_TYPES: Readonly<Record<OutputFormat, string>> = {
  txt: 'text/plain; charset=utf-8',
  json: 'application/json',
  hocr: 'text/html; charset=utf-8',
  alto: 'application/xml',
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  pdf: 'application/pdf',
};

/** How PDF pages that already have text are handled (after OCRmyPDF's --skip-text/--force-ocr/--redo-ocr). */
export const PDF_MODES = ['skip', 'force', 'redo'] as const;
export const pdfModeSchema = z.enum(PDF_MODES);
export type PdfMode = z.infer<typeof pdfModeSchema>;

export const languageSchema = z.enum(SUPPORTED_LANGUAGES);

/** Every default in one place. */
export const JOB_DEFAULTS = {
  formats: ['json', 'txt'] as readonly OutputFormat[],
  languages: ['en'] as readonly Language[],
  autoRotate: true,
  pdfMode: 'skip' as PdfMode,
  pdfDpi: 300,
  pdfa: false,
  maxPixels: 100_000_000,
} as const;

export const PDF_DPI_RANGE = { min: 10, max: 2400 } as const;

/** Each setting's schema, without its default (patches must not fill defaults in). */
const jobFields = {
  /** Files written for each document, as `<output base>.<extension>`. @default ['json', 'txt'] */
  formats: z
    .array(outputFormatSchema)
    .min(1, 'list at least one output format')
    .transform((f) => [...new Set(f)]),
  /** Languages on the pages; the recogniser outputs only their scripts. @default ['en'] */
  languages: z
    .array(languageSchema)
    .min(1, 'list at least one language')
    .transform((l) => [...new Set(l)]),
  /** Detect and undo pages turned by 90, 180 or 270 degrees. @default true */
  autoRotate: z.boolean(),
  /** PDF pages that have text: `skip` keeps them, `force` OCRs every page, `redo` replaces an invisible OCR layer. @default 'skip' */
  pdfMode: pdfModeSchema,
  /** Resolution PDF pages are rendered at, lowered to stay within `maxPixels`. @default 300 */
  pdfDpi: z.number().int().min(PDF_DPI_RANGE.min).max(PDF_DPI_RANGE.max),
  /** Password of encrypted PDFs. Never returned by the API. */
  password: z.string().min(1),
  /** Write the searchable PDF as PDF/A-2b. Needs `pdf` among the formats. @default false */
  pdfa: z.boolean(),
  /** Images (and PDF renderings) with more pixels are refused before decoding. @default 100_000_000 */
  maxPixels: z.number().int().min(1),
};

/** The fields with their defaults filled in (the password stays optional). */
export const jobSettingsShape = z.object({
  formats: jobFields.formats.default(() => [...JOB_DEFAULTS.formats]),
  languages: jobFields.languages.default(() => [...JOB_DEFAULTS.languages]),
  autoRotate: jobFields.autoRotate.default(JOB_DEFAULTS.autoRotate),
  pdfMode: jobFields.pdfMode.default(JOB_DEFAULTS.pdfMode),
  pdfDpi: jobFields.pdfDpi.default(JOB_DEFAULTS.pdfDpi),
  password: jobFields.password.optional(),
  pdfa: jobFields.pdfa.default(JOB_DEFAULTS.pdfa),
  maxPixels: jobFields.maxPixels.default(JOB_DEFAULTS.maxPixels),
});

/** A job's settings as given (every field optional) and as resolved (defaults filled in). */
export const jobSettingsSchema = jobSettingsShape.superRefine((s, ctx) => {
  if (s.pdfa && !s.formats.includes('pdf')) {
    ctx.addIssue({ code: 'custom', path: ['pdfa'], message: 'PDF/A is a kind of searchable PDF: add `pdf` to the formats, or leave PDF/A off' });
  }
});

/** The same fields, each optional and without defaults: a change to apply on top of other settings. */
export const jobSettingsPatchSchema = z.object(jobFields).partial();

export type JobSettings = z.output<typeof jobSettingsSchema>;
export type JobSettingsInput = z.input<typeof jobSettingsSchema>;
export type JobSettingsPatch = z.input<typeof jobSettingsPatchSchema>;

/** The job settings among a larger object's fields (a hot folder's settings hold them and more). */
export function pickJobSettings(s: JobSettings): JobSettings {
  const { formats, languages, autoRotate, pdfMode, pdfDpi, password, pdfa, maxPixels } = s;
  return { formats, languages, autoRotate, pdfMode, pdfDpi, pdfa, maxPixels, ...(password === undefined ? {} : { password }) };
}

/** Settings as the API shows them: the password is replaced by whether one is set. */
export function redactSettings(s: JobSettings): Omit<JobSettings, 'password'> & { passwordSet: boolean } {
  const { password, ...rest } = s;
  return { ...rest, passwordSet: password !== undefined };
}
