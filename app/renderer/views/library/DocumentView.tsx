/**
 * One document: its pages as pictures beside their text (`getResult`, `getPageImage`), with the searched words
 * marked; export it, or delete it with everything derived from it (after a confirmation).
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { DocumentDetail } from '../../../common/api/resources.ts';
import type { OcrDocument, OcrPage } from '../../../common/result.ts';
import { ConfirmDialog } from '../../components/Dialog.tsx';
import { Highlighted } from '../../components/Highlight.tsx';
import { PageImage } from '../../components/PageImage.tsx';
import { StatePill } from '../../components/StatePill.tsx';
import { useApp } from '../../context.tsx';
import { formatBytes } from '../../i18n/i18n.ts';
import { useVisible } from '../../lib/use-visible.ts';
import { ExportDialog } from './ExportDialog.tsx';

/** Longer side of the page pictures beside the text. */
const PAGE_SIDE = 1400;

/** A page's lines grouped by block (paragraph or column), in reading order. */
export function blocksOf(page: OcrPage): string[][] {
  const out: string[][] = [];
  let block = -1;
  for (const line of page.lines) {
    if (line.block !== block || out.length === 0) out.push([]);
    block = line.block;
    out[out.length - 1]!.push(line.text);
  }
  return out;
}

function PageView(props: { documentId: number; name: string; page: OcrPage; query: string | undefined }): ReactNode {
  const { t } = useApp();
  const ref = useRef<HTMLElement>(null);
  const visible = useVisible(ref, '600px');
  const n = props.page.index + 1;
  const blocks = blocksOf(props.page);
  return (
    <section ref={ref} className="page-pair card" aria-label={t('pageN', { n })}>
      <figure className="page-figure" style={{ aspectRatio: `${props.page.width} / ${props.page.height}` }}>
        {visible ? <PageImage documentId={props.documentId} page={props.page.index} maxSide={PAGE_SIDE} alt={t('pageImageAlt', { n, name: props.name })} /> : null}
      </figure>
      <div className="page-text" data-testid="page-text">
        <h3 className="page-label">{t('pageN', { n })}</h3>
        {blocks.length === 0 ? (
          <p className="muted">{t('noText')}</p>
        ) : (
          blocks.map((lines, i) => (
            <p key={i}>
              {lines.map((l, j) => (
                <span key={j} className="line">
                  <Highlighted text={l} query={props.query} />
                </span>
              ))}
            </p>
          ))
        )}
      </div>
    </section>
  );
}

export function DocumentView(props: { documentId: number; query: string | undefined }): ReactNode {
  const { client, images, t, language, attempt, notify } = useApp();
  const [detail, setDetail] = useState<DocumentDetail | null>(null);
  const [result, setResult] = useState<OcrDocument | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'export' | 'delete' | null>(null);
  const { documentId } = props;

  useEffect(() => {
    let live = true;
    setDetail(null);
    setResult(null);
    setProblem(null);
    client.getDocument({ documentId }).then(
      (d) => {
        if (!live) return;
        setDetail(d);
        if (d.state !== 'done') return;
        client.getResult({ documentId }).then(
          (r) => live && setResult(r),
          (e: Error) => live && setProblem(e.message),
        );
      },
      (e: Error) => live && setProblem(e.message),
    );
    return () => {
      live = false;
    };
  }, [client, documentId]);

  const remove = async () => {
    setDialog(null);
    const done = await attempt(() => client.deleteDocument({ documentId }));
    if (!done || !detail) return;
    images.forget(documentId);
    notify(t('deleted', { name: detail.name, count: done.deletedFiles.length }));
    location.hash = '#/library';
  };

  return (
    <div className="stack document">
      <div className="doc-toolbar">
        <a className="link back" href="#/library">
          {t('back')}
        </a>
        {detail ? (
          <div className="doc-title">
            <h2>{detail.name}</h2>
            <StatePill state={detail.state} />
            <span className="muted">
              {t('pagesCount', { count: detail.pageCount ?? 0 })}
              {detail.bytes !== null ? ` · ${formatBytes(detail.bytes, language)}` : ''}
            </span>
          </div>
        ) : null}
        {detail ? (
          <div className="row">
            <button type="button" className="button" onClick={() => setDialog('export')} disabled={detail.state !== 'done'}>
              {t('exportDoc')}
            </button>
            {detail.state === 'done' ? (
              <a className="button primary" href={`#/library/${detail.id}/edit`}>
                {t('proofread')}
              </a>
            ) : null}
            <button type="button" className="button danger" onClick={() => setDialog('delete')} disabled={detail.state === 'running' || detail.state === 'writing'}>
              {t('deleteDoc')}
            </button>
          </div>
        ) : null}
      </div>
      {problem ? (
        <p className="problem" role="alert">
          {problem}
        </p>
      ) : null}
      {!detail && !problem ? <p className="empty">{t('loading')}</p> : null}
      {detail && detail.state !== 'done' ? <p className="empty">{t('docNotReady', { state: t(`state_${detail.state}`) })}</p> : null}
      {detail && result ? result.pages.map((p) => <PageView key={p.index} documentId={documentId} name={detail.name} page={p} query={props.query} />) : null}
      {dialog === 'export' && detail ? <ExportDialog documents={[{ id: detail.id, name: detail.name }]} onClose={() => setDialog(null)} /> : null}
      {dialog === 'delete' && detail ? (
        <ConfirmDialog
          title={t('deleteTitle', { name: detail.name })}
          body={t('deleteBody')}
          confirm={t('deleteConfirm')}
          cancel={t('cancel')}
          onConfirm={() => void remove()}
          onClose={() => setDialog(null)}
        />
      ) : null}
    </div>
  );
}
