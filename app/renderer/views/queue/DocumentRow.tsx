/** One document of a job in the queue: page thumbnails, state, pages, why it failed, and its text once done. */
import type { ReactNode } from 'react';
import type { DocumentSummary } from '../../../common/api/resources.ts';
import { PageImage } from '../../components/PageImage.tsx';
import { StatePill } from '../../components/StatePill.tsx';
import { useApp } from '../../context.tsx';
import { adviceFor, failureText } from '../../lib/failure.ts';
import { TextPreview } from './TextPreview.tsx';

/** Thumbnails shown per document; a longer document says how many more pages it has. */
const THUMBNAILS = 4;
const THUMB_SIDE = 120;

/** Pages that have a picture to show: every page once done, else those recognised so far. */
function thumbnailPages(doc: DocumentSummary, seen: ReadonlySet<number> | undefined): number[] {
  if (doc.state === 'done') return Array.from({ length: Math.min(THUMBNAILS, doc.pageCount ?? 1) }, (_, i) => i);
  if (doc.state === 'failed' || doc.state === 'cancelled') return [];
  const pages = new Set(seen ?? []);
  for (let i = 0; i < doc.pagesDone; i++) pages.add(i);
  return [...pages].filter((p) => p < THUMBNAILS).sort((a, b) => a - b);
}

export function FailureNote(props: { doc: DocumentSummary }): ReactNode {
  const { t } = useApp();
  const error = props.doc.error;
  if (!error) return null;
  return (
    <div className="failure" role="note">
      <p>
        <strong>{t('why')}</strong> {failureText(props.doc)}
      </p>
      <p>
        <strong>{t('whatToDo')}</strong> {t(adviceFor(error.kind))}
      </p>
    </div>
  );
}

/** `alone`: the job's only document, named by the job already; its row leaves out the name, state and pages. */
export function DocumentRow(props: { doc: DocumentSummary; seen: ReadonlySet<number> | undefined; alone?: boolean }): ReactNode {
  const { t } = useApp();
  const { doc } = props;
  const pages = thumbnailPages(doc, props.seen);
  const total = doc.pageCount ?? 0;
  return (
    <li className={props.alone ? 'doc alone' : 'doc'} data-state={doc.state} data-document-id={doc.id}>
      <div className="doc-head">
        {props.alone ? null : (
          <>
            <span className="doc-name" title={doc.name}>
              {doc.name}
            </span>
            <StatePill state={doc.state} />
            {total > 0 ? <span className="muted">{t('jobPages', { done: doc.pagesDone, total, count: total })}</span> : null}
          </>
        )}
        {doc.reused ? <span className="muted">· {t('reused')}</span> : null}
        {doc.state === 'done' ? (
          <a className="link" href={`#/library/${doc.id}`} aria-label={t('openDocument', { name: doc.name })}>
            {t('open')}
          </a>
        ) : null}
      </div>
      <div className="doc-body">
        <div className="thumbs" hidden={doc.state === 'failed' || doc.state === 'cancelled'}>
          {pages.length === 0 ? (
            <span className="page-image placeholder thumb" aria-hidden="true" />
          ) : (
            pages.map((p) => <PageImage key={p} className="thumb" documentId={doc.id} page={p} maxSide={THUMB_SIDE} alt={t('thumbnailOf', { page: p + 1, name: doc.name })} />)
          )}
          {total > THUMBNAILS && doc.state === 'done' ? <span className="thumb-more">+{total - THUMBNAILS}</span> : null}
        </div>
        {doc.state === 'failed' || doc.state === 'cancelled' ? <FailureNote doc={doc} /> : null}
        {doc.state === 'done' ? <TextPreview documentId={doc.id} name={doc.name} /> : null}
      </div>
    </li>
  );
}
