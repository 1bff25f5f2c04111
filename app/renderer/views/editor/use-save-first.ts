/**
 * The editor's commands that save the page first and go no further when it cannot be saved (a conflict, a
 * failure): another page of the document, the next document of the review queue, writing the output files again.
 */
import { useCallback } from 'react';
import { useApp } from '../../context.tsx';
import { routeHash } from '../../lib/route.ts';

export interface SaveFirst {
  /** Opens a page of this document (or of another), in review when the editor is. */
  readonly goTo: (page: number, documentId?: number) => Promise<void>;
  /** Opens the next document of the review queue, or says there is none. */
  readonly nextDocument: () => Promise<void>;
  /** Writes the document's output files again, with its corrections. */
  readonly rewrite: () => Promise<void>;
}

export function useSaveFirst(args: { readonly documentId: number; readonly review: boolean; readonly threshold: number; readonly save: () => Promise<boolean> }): SaveFirst {
  const { client, notify, t, attempt } = useApp();
  const { documentId, review, threshold, save } = args;

  const goTo = useCallback(
    async (pageTo: number, documentTo = documentId) => {
      if (!(await save())) return;
      location.hash = routeHash({ tab: 'library', documentId: documentTo, edit: true, page: pageTo, ...(review ? { review: true } : {}) });
    },
    [save, documentId, review],
  );

  const nextDocument = useCallback(async () => {
    if (!(await save())) return;
    const queue = await attempt(() => client.reviewQueue({ threshold, limit: 1000 }));
    if (!queue) return;
    const at = queue.documents.findIndex((d) => d.documentId === documentId);
    const next = queue.documents.slice(at + 1).find((d) => d.documentId !== documentId) ?? (at < 0 ? queue.documents[0] : undefined);
    if (!next) return notify(t('edReviewDone'));
    location.hash = routeHash({ tab: 'library', documentId: next.documentId, edit: true, review: true });
  }, [save, attempt, client, threshold, documentId, notify, t]);

  const rewrite = useCallback(async () => {
    if (!(await save())) return;
    const r = await attempt(() => client.rewriteOutputs({ documentId }));
    if (!r) return;
    notify(r.written.length > 0 ? t('edRewriteDone', { count: r.written.length }) : t('edRewriteNone'));
    for (const s of r.skipped) notify(t('edRewriteSkipped', { path: s.path, reason: s.reason }), 'error');
  }, [save, attempt, client, documentId, notify, t]);

  return { goTo, nextDocument, rewrite };
}
