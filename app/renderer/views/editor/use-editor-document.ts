/**
 * The document the result editor opens: its detail, its saved result and its page versions, from the service.
 * A document that is not done has only its detail. `reload` loads it all again (after the whole document was
 * reverted): its count is part of the page's key, so the page then opens afresh.
 */
import { useCallback, useEffect, useState, type Dispatch, type SetStateAction } from 'react';
import type { DocumentVersions } from '../../../common/api/editing.ts';
import type { DocumentDetail } from '../../../common/api/resources.ts';
import type { OcrDocument } from '../../../common/result.ts';
import { useApp } from '../../context.tsx';
import { messageOf } from '../../lib/failure.ts';

export interface EditorDocument {
  readonly detail: DocumentDetail | null;
  /** The saved result; a page saved in the editor replaces its page here. */
  readonly saved: OcrDocument | null;
  readonly history: DocumentVersions | null;
  /** Why the document could not be loaded. */
  readonly problem: string | null;
  /** How many times the document was loaded again. */
  readonly loadCount: number;
  readonly setSaved: Dispatch<SetStateAction<OcrDocument | null>>;
  readonly setHistory: Dispatch<SetStateAction<DocumentVersions | null>>;
  readonly reload: () => void;
}

export function useEditorDocument(documentId: number): EditorDocument {
  const { client } = useApp();
  const [detail, setDetail] = useState<DocumentDetail | null>(null);
  const [saved, setSaved] = useState<OcrDocument | null>(null);
  const [history, setHistory] = useState<DocumentVersions | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [loadCount, setLoadCount] = useState(0);

  // The document, its result and its versions.
  useEffect(() => {
    let live = true;
    setProblem(null);
    setDetail(null);
    setSaved(null);
    setHistory(null);
    (async () => {
      const d = await client.getDocument({ documentId });
      if (!live) return;
      setDetail(d);
      if (d.state !== 'done') return;
      const [r, v] = await Promise.all([client.getResult({ documentId }), client.getVersions({ documentId })]);
      if (!live) return;
      setSaved(r);
      setHistory(v);
    })().catch((e: unknown) => live && setProblem(messageOf(e)));
    return () => {
      live = false;
    };
  }, [client, documentId, loadCount]);

  const reload = useCallback(() => setLoadCount((n) => n + 1), []);
  return { detail, saved, history, problem, loadCount, setSaved, setHistory, reload };
}
