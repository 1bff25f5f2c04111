/**
 * The first lines a finished document's first page says, shown in the queue as soon as it is done (fetched once
 * the row is on screen). Sets the {@link MARK_TEXT_SHOWN} performance mark when the text is drawn.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useApp } from '../../context.tsx';
import { useVisible } from '../../lib/use-visible.ts';
import { MARK_TEXT_SHOWN } from '../../state/service-store.ts';

const PREVIEW_LINES = 6;

export function TextPreview(props: { documentId: number; name: string }): ReactNode {
  const { client, t } = useApp();
  const ref = useRef<HTMLDivElement>(null);
  const visible = useVisible(ref, '1200px');
  const [lines, setLines] = useState<string[] | null>(null);
  const { documentId } = props;

  useEffect(() => {
    if (!visible) return;
    let live = true;
    client.getPage({ documentId, page: 0 }).then(
      (page) => live && setLines(page.lines.slice(0, PREVIEW_LINES).map((l) => l.text)),
      () => live && setLines([]),
    );
    return () => {
      live = false;
    };
  }, [client, documentId, visible]);

  useEffect(() => {
    if (lines && lines.length > 0) performance.mark(MARK_TEXT_SHOWN, { detail: { documentId } });
  }, [lines, documentId]);

  return (
    <div ref={ref} className="text-preview" aria-label={t('textOf', { name: props.name })} role="group" data-document-id={documentId}>
      {lines === null ? <span className="muted">{t('loading')}</span> : lines.length === 0 ? <span className="muted">{t('noText')}</span> : lines.map((l, i) => <p key={i}>{l}</p>)}
    </div>
  );
}
