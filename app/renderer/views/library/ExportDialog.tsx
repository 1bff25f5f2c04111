/**
 * Export one document or a selection: formats, and where to. In a browser "download" saves each file through
 * `exportDocument`; "a folder" writes them on the machine that runs OCR Desk (`exportDocuments`).
 */
import { useState, type ReactNode } from 'react';
import type { OutputFormat } from '../../../common/job-settings.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { TextField } from '../../components/Field.tsx';
import { FormatsField } from '../../components/JobSettingsFields.tsx';
import { useApp } from '../../context.tsx';
import { saveDownload } from '../../lib/download.ts';

export interface ExportTarget {
  readonly id: number;
  readonly name: string;
}

export function ExportDialog(props: { documents: readonly ExportTarget[]; onClose: () => void }): ReactNode {
  const { client, t, attempt, notify } = useApp();
  const [formats, setFormats] = useState<OutputFormat[]>(['txt']);
  const [dest, setDest] = useState<'download' | 'folder'>('download');
  const [folder, setFolder] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const { documents } = props;
  const title = documents.length === 1 ? t('exportTitleOne', { name: documents[0]!.name }) : t('exportTitleMany', { count: documents.length });

  const run = async () => {
    if (formats.length === 0) return setProblem(t('exportNeedFormat'));
    if (dest === 'folder' && folder.trim() === '') return setProblem(t('exportNeedFolder'));
    setProblem(null);
    setBusy(true);
    try {
      if (dest === 'download') {
        let count = 0;
        for (const doc of documents) {
          for (const format of formats) {
            const file = await attempt(() => client.exportDocument({ documentId: doc.id, format }));
            if (!file) continue;
            saveDownload(file);
            count++;
          }
        }
        if (count > 0) notify(t('exportDone', { count }));
        props.onClose();
      } else {
        const result = await attempt(() => client.exportDocuments({ documentIds: documents.map((d) => d.id), formats, folder: folder.trim() }));
        if (!result) return;
        if (result.failures.length > 0) {
          setProblem(`${t('exportFailures', { count: result.failures.length })} ${result.failures.map((f) => f.message).join(' ')}`);
          return;
        }
        notify(t('exportDone', { count: result.files.length }));
        props.onClose();
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={title}
      onClose={props.onClose}
      onSubmit={() => void run()}
      footer={
        <>
          <button type="button" className="button" onClick={props.onClose}>
            {t('cancel')}
          </button>
          <button type="submit" className="button primary" disabled={busy}>
            {t('exportGo')}
          </button>
        </>
      }
    >
      <FormatsField label={t('exportFormats')} values={formats} onChange={setFormats} />
      <fieldset className="field group">
        <legend>{t('exportDest')}</legend>
        <div className="choices column">
          <label className="choice">
            <input type="radio" name="export-dest" checked={dest === 'download'} onChange={() => setDest('download')} />
            {t('destDownload')}
          </label>
          <label className="choice">
            <input type="radio" name="export-dest" checked={dest === 'folder'} onChange={() => setDest('folder')} />
            {t('destFolder')}
          </label>
        </div>
      </fieldset>
      {dest === 'folder' ? <TextField label={t('destFolderPath')} value={folder} onChange={setFolder} required placeholder="/home/me/exports" /> : null}
      {problem ? (
        <p className="problem" role="alert">
          {problem}
        </p>
      ) : null}
    </Dialog>
  );
}
