/**
 * The editor's dialogs, one at a time: the keys (HelpDialog), the page's versions with the way back to what OCR
 * read (HistoryDialog, then a confirmation for the whole document), and export. Reverting drops the drafts of what
 * it reverts.
 */
import type { ReactNode } from 'react';
import type { DocumentVersions } from '../../../common/api/editing.ts';
import type { DocumentDetail } from '../../../common/api/resources.ts';
import type { OcrDocument } from '../../../common/result.ts';
import { ConfirmDialog } from '../../components/Dialog.tsx';
import { useApp } from '../../context.tsx';
import { dropDraft } from '../../prefs/db.ts';
import { ExportDialog } from '../library/ExportDialog.tsx';
import { HelpDialog } from './HelpDialog.tsx';
import { HistoryDialog } from './HistoryDialog.tsx';

export type DialogKind = 'help' | 'history' | 'export' | 'revert' | null;

export function EditorDialogs(props: {
  dialog: DialogKind;
  setDialog: (d: DialogKind) => void;
  documentId: number;
  detail: DocumentDetail;
  saved: OcrDocument;
  history: DocumentVersions;
  pageIndex: number;
  /** Loads the page's saved version again (after the page was reverted). */
  reloadPage: (keep: boolean) => Promise<void>;
  /** Loads the whole document again (after it was reverted). */
  reloadDocument: () => void;
}): ReactNode {
  const { client, db, t, notify, attempt } = useApp();
  const { dialog, setDialog, documentId, detail, saved, history, pageIndex, reloadPage } = props;
  return (
    <>
      {dialog === 'help' ? <HelpDialog onClose={() => setDialog(null)} /> : null}
      {dialog === 'history' ? (
        <HistoryDialog
          history={history.pages.find((h) => h.page === pageIndex)}
          documentEdited={history.edited}
          onClose={() => setDialog(null)}
          onRevertPage={() =>
            void attempt(() => client.revertPage({ documentId, page: pageIndex })).then(async (r) => {
              if (!r) return;
              setDialog(null);
              await dropDraft(db, documentId, pageIndex);
              await reloadPage(false);
              notify(t('edReverted'));
            })
          }
          onRevertDocument={() => setDialog('revert')}
        />
      ) : null}
      {dialog === 'revert' ? (
        <ConfirmDialog
          title={t('edRevertTitle', { name: detail.name })}
          body={t('edRevertBody')}
          confirm={t('edRevertConfirm')}
          cancel={t('cancel')}
          onClose={() => setDialog(null)}
          onConfirm={() =>
            void attempt(() => client.revertDocument({ documentId })).then(async (r) => {
              setDialog(null);
              if (!r) return;
              await Promise.all(saved.pages.map((p) => dropDraft(db, documentId, p.index)));
              props.reloadDocument();
              notify(t('edReverted'));
            })
          }
        />
      ) : null}
      {dialog === 'export' ? <ExportDialog documents={[{ id: detail.id, name: detail.name }]} onClose={() => setDialog(null)} /> : null}
    </>
  );
}
