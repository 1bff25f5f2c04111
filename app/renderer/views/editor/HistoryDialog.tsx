/** A page's versions (who, when, what changed) with the way back to what OCR read, for the page or the document. */
import type { ReactNode } from 'react';
import type { PageHistory } from '../../../common/api/editing.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { useApp } from '../../context.tsx';
import { formatTime } from '../../i18n/i18n.ts';

export function HistoryDialog(props: { history: PageHistory | undefined; documentEdited: boolean; onRevertPage: () => void; onRevertDocument: () => void; onClose: () => void }): ReactNode {
  const { t, language } = useApp();
  const h = props.history;
  const versions = [...(h?.versions ?? [])].reverse();
  return (
    <Dialog
      title={t('edHistoryTitle', { n: (h?.page ?? 0) + 1 })}
      onClose={props.onClose}
      wide
      footer={
        <>
          <button type="button" className="button danger" onClick={props.onRevertDocument} disabled={!props.documentEdited}>
            {t('edRevertDoc')}
          </button>
          <button type="button" className="button" onClick={props.onRevertPage} disabled={!h || h.version === 0}>
            {t('edRevertPage')}
          </button>
          <button type="button" className="button primary" onClick={props.onClose} autoFocus>
            {t('close')}
          </button>
        </>
      }
    >
      {versions.length === 0 ? (
        <p className="muted">{t('edNoHistory')}</p>
      ) : (
        <ol className="ed-history">
          {versions.map((v) => (
            <li key={v.version}>
              <p>
                <strong>{t('edVersionN', { version: v.version })}</strong>
                {v.version === h?.version ? <span className="tag">{t('edCurrent')}</span> : null}
                {' · '}
                {v.kind === 'ocr' ? t('edVersionOcr') : v.kind === 'edit' ? t('edVersionEdit', { author: v.author ?? '' }) : t('edVersionRevert', { author: v.author ?? '' })}
                {' · '}
                <time dateTime={v.createdAt}>{formatTime(v.createdAt, language)}</time>
              </p>
              {v.changes.length > 0 ? (
                <ul className="ed-changes">
                  {v.changes.slice(0, 12).map((c, i) => (
                    <li key={i}>{c}</li>
                  ))}
                  {v.changes.length > 12 ? <li className="muted">…</li> : null}
                </ul>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </Dialog>
  );
}
