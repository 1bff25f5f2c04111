/**
 * The result editor: a page beside its text, for checking what OCR read against the page and correcting it.
 *
 * - The picture with line and word boxes (PageCanvas), low-confidence words marked under a threshold a person
 *   chooses; the text in reading order beside it (EditorSide, TextPanel); selecting in one selects in the other.
 * - Corrections are edits (app/common/edits.ts) made on the page version loaded; undo and redo step through them;
 *   every change (and every key typed into a correction) is kept at once in the UI database as a draft, offered
 *   back after a crash or reload; saving sends them to the service as the page's next version, which every export
 *   then carries. A page saved elsewhere meanwhile is a conflict: the draft stays, and is applied to the new version
 *   on request (use-draft.ts, DraftBanners).
 * - Keyboard first (editor-keys.ts; HelpDialog's KEY_MAP): next/previous low-confidence word, accept, edit, undo,
 *   redo, pages, documents of the review queue, split, merge, reading order, boxes to read again, zoom, find.
 *
 * This view puts the parts together: the document (use-editor-document.ts), the draft (use-draft.ts), what is done
 * to the selection (use-edit-commands.ts), what saves first (use-save-first.ts), regions (use-region.ts), find
 * (use-find.ts), the bars (EditorBars), the side (EditorSide) and the dialogs (EditorDialogs).
 *
 * Performance marks for the tests: `ocr-desk:editor-open` (mount), `ocr-desk:editor-painted` (the page's picture on
 * screen under its boxes), `ocr-desk:editor-step` (a key that moved the selection, to the next frame painted).
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { OcrPage, Quad } from '../../../common/result.ts';
import { useApp } from '../../context.tsx';
import { DraftBanners } from './DraftBanners.tsx';
import { EditorHeader, EditorTools } from './EditorBars.tsx';
import { EditorDialogs, type DialogKind } from './EditorDialogs.tsx';
import { useEditorKeys } from './editor-keys.ts';
import { boxOf, current, firstLowPage, hullOf, lineOf, lowCount, lowestWord, stepLow, wordsOf, type Selection } from './editor-model.ts';
import { EditorSide } from './EditorSide.tsx';
import { PageCanvas, type PageCanvasHandle, type View } from './PageCanvas.tsx';
import { TypingBox } from './TypingBox.tsx';
import { useDraft } from './use-draft.ts';
import { useEditCommands } from './use-edit-commands.ts';
import { useEditorDocument } from './use-editor-document.ts';
import { useFind } from './use-find.ts';
import { useRegion } from './use-region.ts';
import { useSaveFirst } from './use-save-first.ts';

export function EditorView(props: { documentId: number; page: number | undefined; review: boolean }): ReactNode {
  const { t, prefs, setPref } = useApp();
  const { documentId } = props;
  const threshold = prefs.reviewThreshold;

  const [dialog, setDialog] = useState<DialogKind>(null);
  const [view, setView] = useState<View | null>(null);
  const canvas = useRef<PageCanvasHandle>(null);
  const findInput = useRef<HTMLInputElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  // What to select on a page as it opens: the draft asks when it opens one, after the render that set it below.
  const opened = useRef<(base: OcrPage) => Selection | null>(() => null);

  useEffect(() => {
    performance.mark('ocr-desk:editor-open', { detail: { documentId } });
  }, [documentId]);

  const doc = useEditorDocument(documentId);
  const { detail, saved, history } = doc;
  const pageCount = saved?.pages.length ?? 0;
  const requested = props.page ?? (props.review && saved ? firstLowPage(saved, threshold) : 0);
  const pageIndex = Math.max(0, Math.min(Math.max(0, pageCount - 1), requested));
  const pageKey = `${documentId}:${pageIndex}:${doc.loadCount}`;

  const draft = useDraft({ documentId, pageIndex, pageKey, doc, opened });
  const { editing, page, pending, sel, typing } = draft;
  const commands = useEditCommands({ draft, threshold, canvas, panel });
  const { selectAndReveal, stepTo, startEditing } = commands;
  const { goTo, nextDocument, rewrite } = useSaveFirst({ documentId, review: props.review, threshold, save: draft.save });
  const region = useRegion(draft);
  const find = useFind({ saved, page, pageIndex, selectAndReveal, goTo });

  // A page opens without a region, on the match it was opened for, or in review on its lowest word under the threshold.
  opened.current = (base) => {
    region.reset();
    const match = find.openedFor(base);
    if (match !== undefined) return match;
    if (!props.review) return null;
    const lowest = lowestWord(base);
    return lowest && lowCount(base, threshold) > 0 ? { kind: 'word', id: lowest } : null;
  };

  useEditorKeys({
    dialogOpen: dialog !== null,
    threshold,
    pageIndex,
    pageCount,
    drawing: region.drawing,
    regionOpen: region.region !== null,
    t,
    page: () => draft.editingRef.current && current(draft.editingRef.current.draft),
    selection: () => draft.selRef.current,
    select: draft.select,
    reveal: selectAndReveal,
    stepTo,
    edit: startEditing,
    accept: commands.accept,
    remove: commands.remove,
    split: commands.split,
    merge: commands.merge,
    moveLine: commands.moveLine,
    undo: draft.undo,
    redo: draft.redo,
    save: () => void draft.save(),
    find: () => findInput.current?.focus(),
    toggleDrawing: () => region.setDrawing((d) => !d),
    stopDrawing: () => region.setDrawing(false),
    openRegion: region.open,
    closeRegion: region.close,
    goTo: (i) => void goTo(i),
    nextDocument: () => void nextDocument(),
    zoomBy: (factor) => canvas.current?.zoomBy(factor),
    fitPage: () => canvas.current?.fitPage(),
    help: () => setDialog('help'),
  });

  const onPainted = useCallback(() => {
    performance.mark('ocr-desk:editor-painted', { detail: { documentId, page: pageIndex } });
    const p = draft.editingRef.current && current(draft.editingRef.current.draft);
    const box = p && boxOf(p, draft.selRef.current);
    if (box) canvas.current?.reveal(box);
  }, [documentId, pageIndex]);
  const onCanvasSelect = useCallback((s: Selection | null) => selectAndReveal(s, false), [selectAndReveal]);
  const onPanelSelect = useCallback((s: Selection) => selectAndReveal(s), [selectAndReveal]);

  if (doc.problem) {
    return (
      <div className="stack">
        <a className="link back" href={`#/library/${documentId}`}>
          {t('edBack')}
        </a>
        <p className="problem" role="alert">
          {doc.problem}
        </p>
      </div>
    );
  }
  if (detail && detail.state !== 'done') {
    return (
      <div className="stack">
        <a className="link back" href={`#/library/${documentId}`}>
          {t('edBack')}
        </a>
        <p className="empty">{t('edNotDone', { state: t(`state_${detail.state}`) })}</p>
      </div>
    );
  }
  if (!detail || !saved || !history || !editing || !page) return <p className="empty">{t('loading')}</p>;

  const selectedBox = boxOf(page, sel);
  const low = lowCount(page, threshold);
  const selWord = sel?.kind === 'word' ? wordsOf(page).find((w) => w.word.id === sel.id) : undefined;
  const selLine = lineOf(page, sel);
  const status = selWord
    ? t('edSelectedWord', { text: selWord.word.text, n: selWord.line.words.indexOf(selWord.word) + 1, line: page.lines.indexOf(selWord.line) + 1, percent: Math.round(selWord.word.confidence * 100) })
    : selLine
      ? t('edSelectedLine', { line: page.lines.indexOf(selLine) + 1, text: selLine.text })
      : t('edNothingSelected');
  const versionText = pending > 0 ? t('edUnsaved', { count: pending }) : editing.draft.baseVersion === 0 ? t('edOriginal') : t('edSavedVersion', { version: editing.draft.baseVersion });
  const typingBox = typing ? boxOf(page, typing) : null;
  const currentMatch = find.currentMatch;

  return (
    <div className="editor" data-testid="editor" data-page={pageIndex} data-version={editing.draft.baseVersion} data-pending={pending}>
      <EditorHeader
        documentId={documentId}
        name={detail.name}
        pageIndex={pageIndex}
        pageCount={pageCount}
        pending={pending}
        status={draft.saving ? t('edSaving') : versionText}
        canUndo={editing.draft.done.length > 0}
        canRedo={editing.draft.undone.length > 0}
        canSave={pending > 0 && !draft.saving}
        canRewrite={detail.outputs.length > 0}
        on={{
          page: (i) => void goTo(i),
          nextDocument: () => void nextDocument(),
          undo: draft.undo,
          redo: draft.redo,
          save: () => void draft.save(),
          history: () => setDialog('history'),
          export: () => void draft.save().then((ok) => ok && setDialog('export')),
          rewrite: () => void rewrite(),
          help: () => setDialog('help'),
        }}
      />
      <EditorTools
        threshold={threshold}
        low={low}
        selection={sel}
        drawing={region.drawing}
        zoom={view?.scale ?? null}
        query={find.query}
        found={find.found}
        canFind={find.matches.length > 0}
        findInput={findInput}
        on={{
          threshold: (v) => setPref('reviewThreshold', v),
          lowest: () => stepTo(lowestWord(page)),
          previousLow: () => stepTo(stepLow(page, sel, threshold, -1), t('edNoLowBefore')),
          nextLow: () => stepTo(stepLow(page, sel, threshold, 1), t('edNoLowLeft')),
          accept: commands.accept,
          edit: () => startEditing(sel),
          remove: commands.remove,
          split: commands.split,
          merge: commands.merge,
          moveUp: () => commands.moveLine(-1),
          moveDown: () => commands.moveLine(1),
          draw: () => region.setDrawing((d) => !d),
          zoomOut: () => canvas.current?.zoomBy(0.8),
          zoomIn: () => canvas.current?.zoomBy(1.25),
          fitWidth: () => canvas.current?.fitWidth(),
          fitPage: () => canvas.current?.fitPage(),
          query: find.search,
          nextMatch: () => find.goMatch(find.matchAt + 1),
          previousMatch: () => find.goMatch(find.matchAt - 1),
          closeFind: () => {
            find.clear();
            canvas.current?.focus();
          },
        }}
      />

      <DraftBanners
        offer={draft.offer}
        conflict={draft.conflict}
        baseVersion={editing.draft.baseVersion}
        onRestore={draft.restoreOffer}
        onDiscard={draft.discardOffer}
        onReapply={() => void draft.reloadPage(true)}
      />

      <div className="ed-main">
        <PageCanvas
          ref={canvas}
          documentId={documentId}
          page={page}
          label={t('edCanvasLabel', { n: pageIndex + 1 })}
          threshold={threshold}
          selected={selectedBox}
          currentMatch={currentMatch && currentMatch.page === pageIndex ? hullOf(currentMatch.words.map((id) => boxOf(page, { kind: 'word', id })).filter((b): b is Quad => b !== null)) : null}
          matches={find.matchWords}
          drawing={region.drawing}
          hint={region.drawing ? t('edDrawing') : null}
          region={region.region?.quad ?? null}
          proposals={region.region?.state.proposal ?? []}
          onSelect={onCanvasSelect}
          onEdit={startEditing}
          onDrawn={region.open}
          onView={setView}
          onPainted={onPainted}
          overlay={(toScreen) =>
            typing && typingBox ? (
              <TypingBox
                box={toScreen(typingBox)}
                label={typing.kind === 'word' ? t('edEditWord') : t('edEditLine')}
                hint={t('edEditHint')}
                text={typing.text}
                selectAll={!typing.restored}
                onChange={(text) => draft.setTyping({ ...typing, text })}
                onDone={commands.finishTyping}
              />
            ) : null
          }
        />
        <EditorSide
          panel={panel}
          page={page}
          pageIndex={pageIndex}
          threshold={threshold}
          selection={sel}
          matches={find.matchWords}
          region={region}
          onSelect={onPanelSelect}
          onEdit={startEditing}
        />
      </div>
      <p className="ed-status" data-testid="editor-status" aria-live="polite">
        {status}
      </p>

      <EditorDialogs
        dialog={dialog}
        setDialog={setDialog}
        documentId={documentId}
        detail={detail}
        saved={saved}
        history={history}
        pageIndex={pageIndex}
        reloadPage={draft.reloadPage}
        reloadDocument={() => {
          draft.forgetLoaded();
          doc.reload();
        }}
      />
    </div>
  );
}
