/**
 * The job settings a person sets (how files are read and what is written), shared by the Settings page (defaults
 * of new jobs) and the hot-folder form. One definition of the labels and choices.
 */
import type { ReactNode } from 'react';
import { OUTPUT_FORMATS, PDF_DPI_RANGE, PDF_MODES, type OutputFormat, type PdfMode } from '../../common/job-settings.ts';
import { SUPPORTED_LANGUAGES, type Language as OcrLanguage } from '../../common/languages.ts';
import { useApp } from '../context.tsx';
import { CheckField, CheckGroup, NumberField, SelectField } from './Field.tsx';

export interface JobSettingsDraft {
  readonly formats: readonly OutputFormat[];
  readonly languages: readonly OcrLanguage[];
  readonly autoRotate: boolean;
  readonly pdfMode: PdfMode;
  readonly pdfDpi: number;
  readonly pdfa: boolean;
  readonly maxPixels: number;
}

/** Why a field cannot be changed, by its name (`formats`, `pdfDpi`, …); undefined where it can. */
export type PinnedReason = (field: keyof JobSettingsDraft) => string | undefined;

export function LanguagesField(props: { values: readonly OcrLanguage[]; onChange: (v: OcrLanguage[]) => void; label: string; pinned?: string | undefined }): ReactNode {
  const { t } = useApp();
  return <CheckGroup label={props.label} values={props.values} options={SUPPORTED_LANGUAGES.map((l) => ({ value: l, label: t(`langs_${l}`) }))} onChange={props.onChange} pinned={props.pinned} />;
}

export function FormatsField(props: { values: readonly OutputFormat[]; onChange: (v: OutputFormat[]) => void; label: string; pinned?: string | undefined }): ReactNode {
  const { t } = useApp();
  return <CheckGroup label={props.label} values={props.values} options={OUTPUT_FORMATS.map((f) => ({ value: f, label: t(`fmt_${f}`) }))} onChange={props.onChange} pinned={props.pinned} />;
}

/** The reading settings: languages, rotation, PDF handling, size limit. */
export function ReadingFields(props: { value: JobSettingsDraft; onChange: (v: JobSettingsDraft) => void; pinned?: PinnedReason }): ReactNode {
  const { t } = useApp();
  const { value, onChange } = props;
  const pinned = props.pinned ?? (() => undefined);
  return (
    <>
      <LanguagesField label={t('fLanguages')} values={value.languages} onChange={(languages) => onChange({ ...value, languages })} pinned={pinned('languages')} />
      <CheckField label={t('fAutoRotate')} checked={value.autoRotate} onChange={(autoRotate) => onChange({ ...value, autoRotate })} pinned={pinned('autoRotate')} />
      <div className="grid2">
        <SelectField label={t('fPdfMode')} value={value.pdfMode} options={PDF_MODES.map((m) => ({ value: m, label: t(`pdf_${m}`) }))} onChange={(pdfMode) => onChange({ ...value, pdfMode })} pinned={pinned('pdfMode')} />
        <NumberField label={t('fPdfDpi')} value={value.pdfDpi} min={PDF_DPI_RANGE.min} max={PDF_DPI_RANGE.max} onChange={(v) => v !== null && onChange({ ...value, pdfDpi: v })} pinned={pinned('pdfDpi')} />
        <NumberField label={t('fMaxPixels')} value={value.maxPixels} min={1} onChange={(v) => v !== null && onChange({ ...value, maxPixels: v })} pinned={pinned('maxPixels')} />
      </div>
    </>
  );
}

/** The output settings: formats and PDF/A. */
export function OutputFields(props: { value: JobSettingsDraft; onChange: (v: JobSettingsDraft) => void; pinned?: PinnedReason }): ReactNode {
  const { t } = useApp();
  const { value, onChange } = props;
  const pinned = props.pinned ?? (() => undefined);
  return (
    <>
      <FormatsField label={t('fFormats')} values={value.formats} onChange={(formats) => onChange({ ...value, formats, pdfa: value.pdfa && formats.includes('pdf') })} pinned={pinned('formats')} />
      <CheckField label={t('fPdfa')} checked={value.pdfa} onChange={(pdfa) => onChange({ ...value, pdfa, formats: pdfa && !value.formats.includes('pdf') ? [...value.formats, 'pdf'] : value.formats })} pinned={pinned('pdfa')} />
    </>
  );
}
