/**
 * Where files enter the queue: drop files or folders, choose them, or paste an image (Ctrl+V anywhere on the
 * queue). Each batch becomes one upload job (`uploadFiles`), with the languages and PDF password chosen here.
 */
import { useEffect, useRef, useState, type DragEvent, type ReactNode } from 'react';
import { useApp, useServiceState } from '../../context.tsx';
import { filesFromClipboard, filesFromDrop, filesFromFolderInput, type PickedFiles } from '../../lib/files.ts';
import { UPLOAD_LANGUAGES, type UploadLanguages } from '../../prefs/prefs.ts';
import type { Language as OcrLanguage } from '../../../common/languages.ts';

export function DropZone(): ReactNode {
  const { client, t, notify, attempt, prefs, setPref } = useApp();
  const settingsView = useServiceState().settings;
  const defaultLanguages = (settingsView?.values.jobDefaults.languages ?? ['en']).map((l) => t(`langs_${l}`)).join(', ');
  const [over, setOver] = useState(false);
  const [uploading, setUploading] = useState(0);
  const [password, setPassword] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    // Not in React's input props: lets the picker choose a folder (all browsers and Electron support it).
    folderInput.current?.setAttribute('webkitdirectory', '');
  }, []);

  const upload = async (picked: PickedFiles) => {
    if (picked.skipped > 0) notify(t('skippedFiles', { count: picked.skipped }));
    if (picked.files.length === 0) {
      if (picked.skipped === 0) notify(t('nothingToUpload'));
      return;
    }
    setUploading(picked.files.length);
    try {
      const files = await Promise.all(picked.files.map(async (f) => ({ name: f.name, data: new Uint8Array(await f.arrayBuffer()) })));
      const languages = prefs.uploadLanguages === 'default' ? undefined : (prefs.uploadLanguages.split(',') as OcrLanguage[]);
      const settings = { ...(languages ? { languages } : {}), ...(password ? { password } : {}) };
      const result = await attempt(() => client.uploadFiles({ files, settings, idempotencyKey: crypto.randomUUID() }));
      if (result) notify(t('uploaded', { count: result.documents }));
    } finally {
      setUploading(0);
    }
  };

  useEffect(() => {
    const onPaste = (event: ClipboardEvent) => {
      const files = filesFromClipboard(event.clipboardData, t('pastedImage'));
      if (files.length === 0) return; // text pasted into a field stays there
      event.preventDefault();
      void upload({ files, skipped: 0 });
    };
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  });

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    void filesFromDrop(event.dataTransfer).then(upload);
  };
  const onDragOver = (event: DragEvent) => {
    if (![...event.dataTransfer.types].includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    setOver(true);
  };

  return (
    <section className={`dropzone${over ? ' over' : ''}`} aria-label={t('dropZoneLabel')} aria-busy={uploading > 0} onDragOver={onDragOver} onDragLeave={() => setOver(false)} onDrop={onDrop} data-testid="drop-zone">
      <svg className="drop-icon" viewBox="0 0 24 24" aria-hidden="true">
        <path d="M12 16V4m0 0-4.5 4.5M12 4l4.5 4.5M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      <div className="drop-text">
        <p className="drop-title">{uploading > 0 ? t('uploading', { count: uploading }) : t('dropTitle')}</p>
        <p className="hint">{t('dropHint')}</p>
        <div className="row">
          <button type="button" className="button primary" onClick={() => fileInput.current?.click()} disabled={uploading > 0}>
            {t('chooseFiles')}
          </button>
          <button type="button" className="button" onClick={() => folderInput.current?.click()} disabled={uploading > 0}>
            {t('chooseFolder')}
          </button>
        </div>
      </div>
      <div className="drop-options">
        <div className="field">
          <label htmlFor="upload-languages">{t('uploadLanguages')}</label>
          <select id="upload-languages" value={prefs.uploadLanguages} onChange={(e) => setPref('uploadLanguages', e.target.value as UploadLanguages)}>
            {UPLOAD_LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {l === 'default' ? t('langs_default', { langs: defaultLanguages }) : t(`langs_${l}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="upload-password">{t('pdfPassword')}</label>
          <input id="upload-password" type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} />
        </div>
      </div>
      <input
        ref={fileInput}
        type="file"
        multiple
        hidden
        data-testid="file-input"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          void upload({ files, skipped: 0 });
        }}
      />
      <input
        ref={folderInput}
        type="file"
        multiple
        hidden
        data-testid="folder-input"
        onChange={(e) => {
          const picked = filesFromFolderInput(e.target.files);
          e.target.value = '';
          void upload(picked);
        }}
      />
    </section>
  );
}
